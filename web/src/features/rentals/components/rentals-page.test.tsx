import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { Rental } from '@/types/api';
import { RentalsPage } from './rentals-page';

const upcoming: Rental = {
  id: 7,
  premiere_id: 1,
  title: 'Маузер',
  poster_url: '/posters/mauser.jpg',
  starts_at: '2098-12-01T16:00:00Z',
  ends_at: '2098-12-02T16:00:00Z',
  period: 24,
  status: 'upcoming',
  amount: 59900,
  order_id: '0193a1b2-0000-7000-8000-000000000007',
  show_id: null,
};
const active: Rental = {
  ...upcoming,
  id: 8,
  premiere_id: 2,
  title: 'Чайка',
  starts_at: '2020-01-01T00:00:00Z',
  ends_at: '2098-01-01T00:00:00Z',
  status: 'active',
};
const changed: Rental = { ...upcoming, starts_at: '2098-12-02T16:00:00Z', ends_at: '2098-12-03T04:00:00Z', period: 12, amount: 47920 };

afterEach(() => vi.unstubAllGlobals());

describe('«Мои премьеры»', () => {
  it('offers «Изменить» before the start and «Продлить» after it', async () => {
    stubApi([{ match: (url) => url === '/api/v1/rentals', body: { items: [upcoming, active] } }]);
    renderWithProviders(<RentalsPage />, { path: '/rentals' });
    const [first, second] = await screen.findAllByTestId('rental');
    expect(within(first).getAllByRole('button').map((b) => b.textContent)).toEqual(['Изменить', 'Отменить']);
    expect(within(second).getAllByRole('button').map((b) => b.textContent)).toEqual(['Продлить']);
  });

  it('marks a seat on a live show «Прямая трансляция», and its change dialog does not move the start', async () => {
    const live: Rental = { ...upcoming, id: 9, show_id: 11 };
    stubApi([
      { match: (url) => url === '/api/v1/rentals', body: { items: [live, upcoming] } },
      { match: (url) => url === '/api/v1/premiere/1', body: { id: 1, reservation: { periods: [12, 24], default_period: 24, from: '2026-11-01T00:00:00Z', until: '2099-02-01T00:00:00Z' } } },
      { match: (url) => url === '/api/v1/rent/1?period=12', body: { premiere_id: 1, period: 12, base: 47920, discount: 0, total: 47920, currency: 'RUB' } },
    ]);
    renderWithProviders(<RentalsPage />, { path: '/rentals' });
    const [first, second] = await screen.findAllByTestId('rental');
    expect(within(first).getByText('Прямая трансляция')).toBeInTheDocument();
    expect(first.textContent).toContain('с 01.12.2098, 19:00 до 02.12.2098, 19:00 · 599,00\u00a0₽ Прямая трансляция');
    expect(within(second).queryByText('Прямая трансляция')).toBeNull();

    fireEvent.click(within(first).getByRole('button', { name: 'Изменить' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Изменить «Маузер»' });
    await within(dialog).findByRole('radio', { name: /^12/ });
    expect(within(dialog).queryByLabelText('Начало просмотра')).toBeNull();
    expect(within(dialog).getByTestId('change-live').textContent).toContain('просмотр начинается вместе с показом, 01.12.2098, 19:00');
  });

  it('changes an upcoming rental, then reloads the list and the balance and says what happened', async () => {
    let current = upcoming;
    const refreshCounters = vi.fn(async () => undefined);
    const { calls } = stubApi([
      { match: (url) => url === '/api/v1/rentals', body: () => ({ items: [current] }) },
      { match: (url) => url === '/api/v1/premiere/1', body: { id: 1, reservation: { periods: [12, 24], default_period: 24, from: '2026-11-01T00:00:00Z', until: '2099-02-01T00:00:00Z' } } },
      { match: (url) => url === '/api/v1/rent/1?period=12', body: { premiere_id: 1, period: 12, base: 47920, discount: 0, total: 47920, currency: 'RUB' } },
      {
        match: (url, init) => url === '/api/v1/rentals/7' && init.method === 'PATCH',
        body: () => {
          current = changed;
          return changed;
        },
      },
    ]);
    renderWithProviders(<RentalsPage />, { path: '/rentals', session: { refreshCounters } });
    fireEvent.click(await screen.findByRole('button', { name: 'Изменить' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Изменить «Маузер»' });
    fireEvent.change(await within(dialog).findByLabelText('Начало просмотра'), { target: { value: '2098-12-02T19:00' } });
    fireEvent.click(within(dialog).getByRole('radio', { name: /^12/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Сохранить и вернуть 119,80\u00a0₽' }));

    const notice = await screen.findByRole('status');
    expect(notice.textContent).toBe('Аренда «Маузер» изменена: с 02.12.2098, 19:00 до 03.12.2098, 07:00; вернули 119,80\u00a0₽ на баланс.');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('rental').textContent).toContain('12\u00a0ч: с 02.12.2098, 19:00 до 03.12.2098, 07:00'));
    expect(refreshCounters).toHaveBeenCalledTimes(1);
    expect(calls.filter((c) => c.url === '/api/v1/rentals')).toHaveLength(2);
  });
});
