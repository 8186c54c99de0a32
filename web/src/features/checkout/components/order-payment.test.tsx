import { fireEvent, screen } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { Order } from '@/types/api';
import { OrderPayment } from './order-payment';

// A seat at a live show, 19:00–19:00 Moscow from 7 December 2098.
const pending: Order = {
  id: 'o-1',
  status: 'pending_payment',
  items: [{ premiere_id: 1, title: 'Маузер', starts_at: '2098-12-07T16:00:00Z', ends_at: '2098-12-08T16:00:00Z', period: 24, price: 47920 }],
  total: 47920,
  balance: 100000,
  next: 'confirm',
};

const isGet = (url: string, init: RequestInit) => url === '/api/v1/orders/o-1' && (init.method ?? 'GET') === 'GET';
const isConfirm = (url: string, init: RequestInit) => url === '/api/v1/orders/o-1/confirm' && init.method === 'POST';

afterEach(() => vi.unstubAllGlobals());

describe('paying an order with a seat at a live show', () => {
  it('says the seats went before anything was debited, and sends the customer back to the cart', async () => {
    const refreshCounters = vi.fn(async () => undefined);
    stubApi([
      { match: isGet, body: pending },
      {
        match: isConfirm,
        status: 409,
        body: { type: 'https://chance-video.ru/problems/sold-out', title: 'Конфликт', status: 409, detail: 'Онлайн-места на этот показ закончились' },
      },
    ]);
    renderWithProviders(<OrderPayment orderId="o-1" />, { path: '/checkout?order=o-1', session: { balance: 100000, refreshCounters } });
    fireEvent.click(await screen.findByRole('button', { name: 'Подтвердить списание' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Мест на показ не осталось, деньги не списаны. Удалите его из корзины и оформите заказ заново. Вернуться в корзину');
    expect(screen.getByRole('link', { name: 'Вернуться в корзину' })).toHaveAttribute('href', '/cart');
    expect(screen.queryByRole('button', { name: 'Подтвердить списание' })).toBeNull();
    expect(refreshCounters).toHaveBeenCalled();
  });

  it('keeps the store’s words when the seats went after the debit and the order was closed with the money returned', async () => {
    let closed = false;
    stubApi([
      { match: isGet, body: () => (closed ? { ...pending, status: 'cancelled' } : pending) },
      {
        match: isConfirm,
        status: 409,
        body: () => {
          closed = true;
          return { title: 'Конфликт', status: 409, detail: 'Онлайн-места на этот показ закончились, деньги вернулись на баланс' };
        },
      },
    ]);
    renderWithProviders(<OrderPayment orderId="o-1" />, { path: '/checkout?order=o-1', session: { balance: 100000 } });
    fireEvent.click(await screen.findByRole('button', { name: 'Подтвердить списание' }));

    expect(await screen.findByRole('heading', { name: 'Заказ отменён' })).toBeInTheDocument();
    expect(screen.getByRole('alert').textContent).toBe('Онлайн-места на этот показ закончились, деньги вернулись на баланс');
  });
});
