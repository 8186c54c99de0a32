import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { OrderHistoryItem } from '@/types/api';
import { OrdersPage } from './orders-page';

const paid: OrderHistoryItem = {
  id: '0193a1b2-0000-7000-8000-000000000004',
  status: 'paid',
  total: 59900,
  created_at: '2098-12-07T09:00:00Z',
  paid_at: '2098-12-07T09:00:02Z',
  items: [{ premiere_id: 12, title: 'Гамлет', period: 24, starts_at: '2098-12-07T09:00:02Z', ends_at: '2098-12-08T09:00:02Z', price: 59900 }],
  movements: [
    {
      kind: 'payment',
      amount: 59900,
      at: '2098-12-07T09:00:02Z',
      reason: 'Оплата заказа',
      receipt_url: '/api/v1/orders/0193a1b2-0000-7000-8000-000000000004/receipts/payment',
    },
    {
      kind: 'surcharge',
      amount: 23960,
      at: '2098-12-07T20:15:00Z',
      reason: 'Доплата за продление до 48 ч',
      receipt_url: '/api/v1/orders/0193a1b2-0000-7000-8000-000000000004/receipts/surcharge-1',
    },
    {
      kind: 'refund',
      amount: 23960,
      at: '2098-12-07T21:30:00Z',
      reason: 'Возврат доплаты',
      receipt_url: '/api/v1/orders/0193a1b2-0000-7000-8000-000000000004/receipts/refund-1',
    },
  ],
  paid: 83860,
  refunded: 23960,
};
const pending: OrderHistoryItem = {
  ...paid,
  id: '0193a1b2-0000-7000-8000-000000000003',
  status: 'pending_payment',
  total: 47920,
  created_at: '2098-12-06T17:30:00Z',
  paid_at: null,
  items: [{ premiere_id: 1, title: 'Маузер', period: 12, starts_at: '2098-12-10T16:00:00Z', ends_at: '2098-12-11T04:00:00Z', price: 47920 }],
  movements: [],
  paid: 0,
  refunded: 0,
};
const expired: OrderHistoryItem = { ...pending, id: '0193a1b2-0000-7000-8000-000000000002', status: 'expired', created_at: '2098-12-05T10:00:00Z' };
const cancelled: OrderHistoryItem = { ...pending, id: '0193a1b2-0000-7000-8000-000000000001', status: 'cancelled', created_at: '2098-12-04T10:00:00Z' };

const ordersRoute = (pages: Record<string, unknown>) => ({
  match: (url: string) => url.startsWith('/api/v1/orders?'),
  // Answers by ?before= ('' for the first page).
  body: (url: string) => pages[new URL(url, 'http://store.test').searchParams.get('before') ?? ''],
});

const originalScrollIntoView = Element.prototype.scrollIntoView;
afterEach(() => {
  vi.unstubAllGlobals();
  Element.prototype.scrollIntoView = originalScrollIntoView;
});

describe('«Мои заказы»', () => {
  it('lists each order with its status, lines, total, movements with receipt links, and the sums', async () => {
    const { calls } = stubApi([ordersRoute({ '': { items: [paid, pending, expired, cancelled], next_before: null } })]);
    renderWithProviders(<OrdersPage />, { path: '/orders' });
    expect(screen.getByRole('heading', { level: 1, name: 'Мои заказы' })).toBeInTheDocument();

    const cards = await screen.findAllByTestId('order');
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/orders?limit=20']);
    expect(cards.map((c) => within(c).getByRole('heading', { level: 2 }).textContent)).toEqual([
      'Заказ от 07.12.2098, 12:00',
      'Заказ от 06.12.2098, 20:30',
      'Заказ от 05.12.2098, 13:00',
      'Заказ от 04.12.2098, 13:00',
    ]);
    expect(cards.map((c) => c.querySelector('.status')?.textContent)).toEqual(['Оплачен', 'Ожидает оплаты', 'Срок оплаты истёк', 'Отменён']);

    const [first, second] = cards;
    const line = within(first).getAllByRole('listitem').find((li) => li.classList.contains('line'))!;
    expect(line.textContent).toBe('Гамлет24\u00a0ч (1\u00a0сутки): с 07.12.2098, 12:00 до 08.12.2098, 12:00599,00\u00a0₽');
    expect(within(first).getByText(/^Итого:/).textContent).toBe('Итого: 599,00\u00a0₽');

    // The movements: reason, time, amount and the receipt, which opens the server's page in a new tab.
    expect(within(first).getByRole('heading', { level: 3, name: 'Платежи и возвраты' })).toBeInTheDocument();
    const movements = within(first).getAllByTestId('movement');
    expect(movements).toHaveLength(3);
    expect(within(movements[0]).getByText('Оплата заказа')).toBeInTheDocument();
    expect(within(movements[0]).getByText('07.12.2098, 12:00')).toBeInTheDocument();
    expect(movements[0].querySelector('.movement-amount')?.textContent).toBe('599,00\u00a0₽');
    expect(movements[1].querySelector('.movement-amount')?.textContent).toBe('239,60\u00a0₽');
    const links = within(first).getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual(paid.movements.map((m) => m.receipt_url));
    for (const a of links) {
      expect(a).toHaveAttribute('target', '_blank');
      expect(a).toHaveAttribute('rel', 'noopener');
    }
    // Visible «Чек» / «Чек возврата»; the accessible name tells the links apart.
    expect(links.map((a) => a.firstChild?.textContent)).toEqual(['Чек', 'Чек', 'Чек возврата']);
    expect(within(first).getByRole('link', { name: 'Чек: Оплата заказа, 07.12.2098, 12:00 (откроется в новой вкладке)' })).toHaveAttribute(
      'href',
      paid.movements[0].receipt_url,
    );
    expect(within(first).getByRole('link', { name: /^Чек возврата: Возврат доплаты/ })).toHaveAttribute('href', paid.movements[2].receipt_url);

    expect(within(first).getByText('Оплачено').nextElementSibling?.textContent).toBe('838,60\u00a0₽');
    expect(within(first).getByText('Возвращено').nextElementSibling?.textContent).toBe('239,60\u00a0₽');

    // Nothing paid yet: no movements, no receipts, «Оплачено» 0 and no «Возвращено».
    expect(within(second).queryByTestId('movement')).toBeNull();
    expect(within(second).queryByRole('heading', { level: 3 })).toBeNull();
    expect(within(second).queryByRole('link')).toBeNull();
    expect(within(second).getByText('Оплачено').nextElementSibling?.textContent).toBe('0,00\u00a0₽');
    expect(within(second).queryByText('Возвращено')).toBeNull();

    expect(cards.filter((c) => c.hasAttribute('aria-current'))).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Показать ещё' })).toBeNull();
  });

  it('says so when there are no orders and points to the premieres', async () => {
    stubApi([ordersRoute({ '': { items: [], next_before: null } })]);
    renderWithProviders(<OrdersPage />, { path: '/orders' });
    const empty = await screen.findByText(/^Заказов пока нет/);
    expect(within(empty).getByRole('link', { name: 'Выбрать премьеру' })).toHaveAttribute('href', '/');
    expect(screen.queryByTestId('order')).toBeNull();
  });

  it('«Показать ещё» asks for the orders before the last one shown and adds them', async () => {
    const { calls } = stubApi([
      ordersRoute({
        '': { items: [paid, pending], next_before: pending.id },
        [pending.id]: { items: [expired, cancelled], next_before: null },
      }),
    ]);
    renderWithProviders(<OrdersPage />, { path: '/orders' });
    expect(await screen.findAllByTestId('order')).toHaveLength(2);

    fireEvent.click(screen.getByRole('button', { name: 'Показать ещё' }));
    await waitFor(() => expect(screen.getAllByTestId('order')).toHaveLength(4));
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/orders?limit=20', `/api/v1/orders?limit=20&before=${pending.id}`]);
    expect(screen.getAllByTestId('order').map((c) => c.querySelector('.status')?.textContent)).toEqual([
      'Оплачен',
      'Ожидает оплаты',
      'Срок оплаты истёк',
      'Отменён',
    ]);
    // No next_before: nothing more to show.
    expect(screen.queryByRole('button', { name: 'Показать ещё' })).toBeNull();
  });

  it('marks the order the email links to (?order=) and scrolls to it', async () => {
    const scrolled: Element[] = [];
    Element.prototype.scrollIntoView = vi.fn(function (this: Element) {
      scrolled.push(this);
    });
    stubApi([ordersRoute({ '': { items: [paid, pending, expired], next_before: null } })]);
    renderWithProviders(<OrdersPage />, { path: `/orders?order=${pending.id}` });
    const cards = await screen.findAllByTestId('order');

    expect(cards.map((c) => c.getAttribute('aria-current'))).toEqual([null, 'true', null]);
    expect(cards.map((c) => c.classList.contains('order-current'))).toEqual([false, true, false]);
    await waitFor(() => expect(scrolled).toEqual([cards[1]]));
  });

  it('shows a failed load with «Повторить», which asks again', async () => {
    stubApi([
      {
        match: (url) => url.startsWith('/api/v1/orders?'),
        status: 503,
        body: { title: 'Ошибка', status: 503, detail: 'Сервис временно недоступен' },
      },
    ]);
    renderWithProviders(<OrdersPage />, { path: '/orders' });
    expect((await screen.findByRole('alert')).textContent).toContain('Сервис временно недоступен');

    stubApi([ordersRoute({ '': { items: [paid], next_before: null } })]);
    fireEvent.click(screen.getByRole('button', { name: 'Повторить' }));
    expect(await screen.findAllByTestId('order')).toHaveLength(1);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
