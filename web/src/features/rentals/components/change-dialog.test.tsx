import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { Rental } from '@/types/api';
import { ChangeDialog } from './change-dialog';

// 24 hours from 19:00 Moscow, paid 599,00 ₽; today 12 hours cost 479,20 ₽ and 48 hours 838,60 ₽.
const rental: Rental = {
  id: 7,
  premiere_id: 1,
  title: 'Маузер',
  poster_url: '/posters/mauser.jpg',
  starts_at: '2098-12-01T16:00:30Z',
  ends_at: '2098-12-02T16:00:30Z',
  period: 24,
  status: 'upcoming',
  amount: 59900,
  order_id: '0193a1b2-0000-7000-8000-000000000007',
  show_id: null,
};
const PRICES: Record<number, number> = { 12: 47920, 24: 59900, 48: 83860 };
const reservation = { periods: [12, 24, 48], default_period: 24, from: '2026-11-01T00:00:00Z', until: '2099-02-01T00:00:00Z' };

const premiereRoute = { match: (url: string) => url === '/api/v1/premiere/1', body: { id: 1, title: 'Маузер', reservation } };
const quoteRoute = {
  match: (url: string) => url.startsWith('/api/v1/rent/1?period='),
  body: (url: string) => {
    const period = Number(new URL(url, 'http://x').searchParams.get('period'));
    return { premiere_id: 1, period, base: PRICES[period], discount: 0, total: PRICES[period], currency: 'RUB' };
  },
};
const isPatch = (url: string, init: RequestInit) => url === '/api/v1/rentals/7' && init.method === 'PATCH';
const patches = (calls: { url: string; init: RequestInit }[]) => calls.filter((c) => isPatch(c.url, c.init));

const NB = '\u00a0';
const refund12 = `12${NB}ч — вернём 119,80${NB}₽`;
const current24 = `24${NB}ч (1${NB}сутки) — без доплаты (текущий)`;
const extra48 = `48${NB}ч (2${NB}суток) — доплата 239,60${NB}₽`;

async function open(routes: Parameters<typeof stubApi>[0] = [], onDone = vi.fn()) {
  const stub = stubApi([premiereRoute, quoteRoute, ...routes]);
  renderWithProviders(<ChangeDialog rental={rental} timeZone="Europe/Moscow" onDone={onDone} onCancel={() => undefined} />);
  await screen.findByRole('radio', { name: current24 });
  return { ...stub, onDone };
}

afterEach(() => vi.unstubAllGlobals());

describe('change dialog', () => {
  it('offers every period with the money it moves, the current one chosen, and nothing to save yet', async () => {
    const { calls } = await open();
    expect(screen.getByRole('alertdialog', { name: 'Изменить «Маузер»' })).toBeInTheDocument();
    const radios = screen.getAllByRole('radio');
    expect(radios.map((r) => r.closest('label')?.textContent)).toEqual([refund12, current24, extra48]);
    expect(screen.getByRole('radio', { name: current24 })).toBeChecked();
    // The current period costs no quote.
    expect(calls.map((c) => c.url).filter((u) => u.startsWith('/api/v1/rent/'))).toEqual(['/api/v1/rent/1?period=12', '/api/v1/rent/1?period=48']);

    const start = screen.getByLabelText('Начало просмотра');
    expect(start).toHaveValue('2098-12-01T19:00');
    expect(start).toHaveAttribute('max', '2099-02-01T03:00');
    expect(screen.getByTestId('change-window').textContent).toBe('Просмотр будет доступен с 01.12.2098, 19:00 до 02.12.2098, 19:00.');
    expect(screen.getByRole('button', { name: 'Сохранить' })).toBeDisabled();
  });

  it('names the money on the confirm button as the choice changes, and the window with it', async () => {
    await open();
    fireEvent.click(screen.getByRole('radio', { name: refund12 }));
    expect(screen.getByRole('button', { name: `Сохранить и вернуть 119,80${NB}₽` })).toBeEnabled();
    expect(screen.getByTestId('change-window').textContent).toBe('Просмотр будет доступен с 01.12.2098, 19:00 до 02.12.2098, 07:00.');

    fireEvent.click(screen.getByRole('radio', { name: extra48 }));
    expect(screen.getByRole('button', { name: `Сохранить и доплатить 239,60${NB}₽` })).toBeEnabled();
    expect(screen.getByTestId('change-window').textContent).toBe('Просмотр будет доступен с 01.12.2098, 19:00 до 03.12.2098, 19:00.');

    fireEvent.click(screen.getByRole('radio', { name: current24 }));
    expect(screen.getByRole('button', { name: 'Сохранить' })).toBeDisabled();

    // A new start with the period kept moves no money.
    fireEvent.change(screen.getByLabelText('Начало просмотра'), { target: { value: '2098-12-02T21:30' } });
    expect(screen.getByRole('button', { name: 'Сохранить' })).toBeEnabled();
    expect(screen.getByTestId('change-window').textContent).toBe('Просмотр будет доступен с 02.12.2098, 21:30 до 03.12.2098, 21:30.');
  });

  it('sends only the period when only the period changed', async () => {
    const updated = { ...rental, period: 12, ends_at: '2098-12-02T04:00:30Z', amount: 47920 };
    const { calls, onDone } = await open([{ match: isPatch, body: updated }]);
    fireEvent.click(screen.getByRole('radio', { name: refund12 }));
    fireEvent.click(screen.getByRole('button', { name: /^Сохранить и вернуть/ }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(updated, -11980));
    expect(patches(calls)).toHaveLength(1);
    expect(JSON.parse(patches(calls)[0].init.body as string)).toEqual({ period: 12 });
  });

  it('sends only the start, in UTC, when only the start changed', async () => {
    const { calls, onDone } = await open([{ match: isPatch, body: rental }]);
    fireEvent.change(screen.getByLabelText('Начало просмотра'), { target: { value: '2098-12-02T21:30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(rental, 0));
    expect(patches(calls)).toHaveLength(1);
    expect(JSON.parse(patches(calls)[0].init.body as string)).toEqual({ starts_at: '2098-12-02T18:30:00Z' });
  });

  it('sends both when both changed', async () => {
    const { calls, onDone } = await open([{ match: isPatch, body: { ...rental, period: 48, amount: 83860 } }]);
    fireEvent.change(screen.getByLabelText('Начало просмотра'), { target: { value: '2098-12-02T21:30' } });
    fireEvent.click(screen.getByRole('radio', { name: extra48 }));
    fireEvent.click(screen.getByRole('button', { name: /^Сохранить и доплатить/ }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(expect.objectContaining({ period: 48 }), 23960));
    expect(JSON.parse(patches(calls)[0].init.body as string)).toEqual({ starts_at: '2098-12-02T18:30:00Z', period: 48 });
  });

  it('refuses a start in the past, or outside the reservation window, before sending', async () => {
    const { calls } = await open([{ match: isPatch, body: rental }]);
    const start = screen.getByLabelText('Начало просмотра');
    fireEvent.change(start, { target: { value: '2020-01-01T10:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    expect(await screen.findByText('Это время уже прошло')).toHaveAttribute('id', 'change-start-error');
    expect(start).toHaveAttribute('aria-invalid', 'true');
    expect(start).toHaveAttribute('aria-describedby', 'change-start-error');

    // Once refused, the message follows the field.
    fireEvent.change(start, { target: { value: '2099-03-01T10:00' } });
    expect(screen.getByText('Показ можно забронировать не позже 01.02.2099, 03:00')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    fireEvent.change(start, { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    expect(screen.getByText('Укажите дату и время начала')).toBeInTheDocument();
    expect(patches(calls)).toHaveLength(0);

    fireEvent.change(start, { target: { value: '2098-12-03T10:00' } });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('puts the server field errors next to the field they name', async () => {
    let answer = { field: 'starts_at', message: 'Выберите время в окне бронирования, не в прошлом' };
    await open([
      {
        match: isPatch,
        status: 422,
        body: () => ({ title: 'Это время начала недоступно', status: 422, detail: 'Это время начала недоступно', errors: [answer] }),
      },
    ]);
    const start = screen.getByLabelText('Начало просмотра');
    fireEvent.change(start, { target: { value: '2098-12-02T21:30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    expect(await screen.findByText('Выберите время в окне бронирования, не в прошлом')).toHaveAttribute('id', 'change-start-error');
    expect(start).toHaveAttribute('aria-describedby', 'change-start-error');
    expect(screen.queryByText('Это время начала недоступно')).toBeNull();

    answer = { field: 'period', message: 'Можно выбрать: 12, 24 ч.' };
    fireEvent.click(screen.getByRole('radio', { name: extra48 }));
    fireEvent.click(screen.getByRole('button', { name: /^Сохранить и доплатить/ }));
    const message = await screen.findByText('Можно выбрать: 12, 24 ч.');
    expect(message).toHaveAttribute('id', 'change-period-error');
    expect(screen.getByRole('group', { name: 'Срок' })).toHaveAttribute('aria-describedby', 'change-period-error');
    expect(start).not.toHaveAttribute('aria-invalid');
  });

  it('shows the shortfall with a way to top up the balance on a 402', async () => {
    const { onDone } = await open([
      {
        match: isPatch,
        status: 402,
        body: { type: 'insufficient-funds', title: 'Недостаточно средств', status: 402, detail: 'Для продления не хватает 120,00 ₽', shortfall: 12000 },
      },
    ]);
    fireEvent.click(screen.getByRole('radio', { name: extra48 }));
    fireEvent.click(screen.getByRole('button', { name: /^Сохранить и доплатить/ }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(`На балансе не хватает 120,00${NB}₽. Пополнить баланс`);
    expect(screen.getByRole('link', { name: 'Пополнить баланс' })).toHaveAttribute('href', '/billing');
    expect(screen.getByRole('button', { name: /^Сохранить и доплатить/ })).toBeEnabled();
    expect(onDone).not.toHaveBeenCalled();
  });

  it('changes only the period of a seat on a live show: its start is the show', async () => {
    const live: Rental = { ...rental, show_id: 11 };
    const updated = { ...live, period: 12, ends_at: '2098-12-02T04:00:30Z', amount: 47920 };
    const onDone = vi.fn();
    const { calls } = stubApi([premiereRoute, quoteRoute, { match: isPatch, body: updated }]);
    renderWithProviders(<ChangeDialog rental={live} timeZone="Europe/Moscow" onDone={onDone} onCancel={() => undefined} />);
    await screen.findByRole('radio', { name: current24 });
    expect(screen.queryByLabelText('Начало просмотра')).toBeNull();
    expect(screen.getByTestId('change-live').textContent).toBe(
      'Прямая трансляция: просмотр начинается вместе с показом, 01.12.2098, 19:00. Время начала не меняется.',
    );
    fireEvent.click(screen.getByRole('radio', { name: refund12 }));
    fireEvent.click(screen.getByRole('button', { name: /^Сохранить и вернуть/ }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(updated, -11980));
    expect(JSON.parse(patches(calls)[0].init.body as string)).toEqual({ period: 12 });
  });
});
