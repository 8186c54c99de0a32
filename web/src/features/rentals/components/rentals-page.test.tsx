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

  it('shows a rental’s theatre voucher: its code, amount, date and what it is good for', async () => {
    const voucher = { code: '7F3A-91C2-0B4D-E5A8', amount: 47920, valid_until: '2099-03-01T20:59:00Z', status: 'active' as const, redeemed_at: null };
    const withVoucher: Rental = { ...active, amount: 47920, voucher };
    const used: Rental = { ...active, id: 9, title: 'Маузер', voucher: { ...voucher, code: '0B4D-E5A8-7F3A-91C2', status: 'redeemed', redeemed_at: '2099-01-15T16:30:00Z' } };
    stubApi([{ match: (url) => url === '/api/v1/rentals', body: { items: [withVoucher, used, { ...upcoming, voucher: null }] } }]);
    renderWithProviders(<RentalsPage />, { path: '/rentals' });
    const [first, second, third] = await screen.findAllByTestId('rental');

    const block = within(first).getByTestId('voucher');
    expect(within(block).getByTestId('voucher-code').textContent).toBe('7F3A-91C2-0B4D-E5A8');
    expect(block.textContent).toContain('Ваучер в театр: 7F3A-91C2-0B4D-E5A8');
    expect(block.textContent).toContain('Номинал: 479,20\u00a0₽ · действует до 01.03.2099, 23:59');
    expect(within(block).getByTestId('voucher-status').textContent).toBe('Можно использовать в кассе театра');

    expect(within(second).getByTestId('voucher-code').textContent).toBe('0B4D-E5A8-7F3A-91C2');
    expect(within(second).getByTestId('voucher-status').textContent).toBe('Использован 15.01.2099, 19:30');
    // A premiere whose theatre gives no vouchers: nothing said.
    expect(within(third).queryByTestId('voucher')).toBeNull();
  });

  it('offers no «Отменить» once the voucher was used at the theatre', async () => {
    const voucher = { code: '7F3A-91C2-0B4D-E5A8', amount: 59900, valid_until: '2099-03-01T20:59:00Z', status: 'redeemed' as const, redeemed_at: '2098-11-15T16:30:00Z' };
    stubApi([{ match: (url) => url === '/api/v1/rentals', body: { items: [{ ...upcoming, voucher }, { ...upcoming, id: 9, voucher: { ...voucher, status: 'active', redeemed_at: null } }] } }]);
    renderWithProviders(<RentalsPage />, { path: '/rentals' });
    const [used, unused] = await screen.findAllByTestId('rental');
    expect(within(used).getAllByRole('button').map((b) => b.textContent)).toEqual(['Изменить']);
    expect(within(unused).getAllByRole('button').map((b) => b.textContent)).toEqual(['Изменить', 'Отменить']);
  });

  it('says why a voucher is no longer good', async () => {
    const voucher = { code: '7F3A-91C2-0B4D-E5A8', amount: 47920, valid_until: '2099-03-01T20:59:00Z', redeemed_at: null };
    stubApi([
      {
        match: (url) => url === '/api/v1/rentals',
        body: { items: [{ ...upcoming, status: 'cancelled', voucher: { ...voucher, status: 'void' } }, { ...active, voucher: { ...voucher, status: 'expired' } }] },
      },
    ]);
    renderWithProviders(<RentalsPage />, { path: '/rentals' });
    await screen.findAllByTestId('rental');
    expect(screen.getAllByTestId('voucher-status').map((s) => s.textContent)).toEqual([
      'Недействителен: аренда отменена или деньги вернулись',
      'Срок действия истёк',
    ]);
  });
});
