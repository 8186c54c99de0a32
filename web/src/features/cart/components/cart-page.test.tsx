import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { cardFixture } from '@/testing/fixtures';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { Card, Cart, CartItem, CartShow } from '@/types/api';
import { CartPage } from './cart-page';

const card = (id: number, title: string): Card => cardFixture(id, title);

// 19:00 Moscow on 7 December 2098.
const show: CartShow = { id: 11, starts_at: '2098-12-07T16:00:00Z', seats_left: 2, status: 'on_sale' };
const ordinary: CartItem = { id: 1, premiere: card(2, 'Чайка'), period: 12, starts_at: null, price: 47920, show: null };
const seat = (s: Partial<CartShow> = {}): CartItem => ({
  id: 2,
  premiere: card(1, 'Маузер'),
  period: 48,
  starts_at: show.starts_at,
  price: 67090,
  show: { ...show, ...s },
});
const cartOf = (items: CartItem[]): Cart => ({ items, total: items.reduce((sum, i) => sum + i.price, 0) });

const isCart = (url: string, init: RequestInit) => url === '/api/v1/cart' && (init.method ?? 'GET') === 'GET';

function renderCart() {
  return renderWithProviders(
    <Routes>
      <Route path="/cart" element={<CartPage />} />
      <Route path="/checkout" element={<p>Оформление заказа</p>} />
    </Routes>,
    { path: '/cart', session: { timeZone: 'Europe/Moscow' } },
  );
}

const line = (title: string) => screen.getAllByTestId('cart-item').find((li) => li.textContent?.includes(title))!;

afterEach(() => vi.unstubAllGlobals());

describe('cart page', () => {
  it('shows a seat at a live show with its time and the seats left, and goes on to checkout', async () => {
    stubApi([{ match: isCart, body: cartOf([ordinary, seat()]) }]);
    renderCart();
    await screen.findAllByTestId('cart-item');

    const live = line('Маузер');
    expect(live.textContent).toContain('Прямая трансляция: 07.12.2098, 19:00');
    expect(within(live).getByTestId('cart-seats').textContent).toBe('Осталось мест: 2');
    expect(live).not.toHaveClass('line-unavailable');
    // An ordinary line says nothing about shows.
    expect(within(line('Чайка')).queryByTestId('cart-seats')).toBeNull();
    expect(line('Чайка').textContent).not.toContain('Прямая трансляция');

    const checkout = screen.getByRole('button', { name: 'Оформить заказ' });
    expect(checkout).toBeEnabled();
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(checkout);
    expect(await screen.findByText('Оформление заказа')).toBeInTheDocument();
  });

  it('says a show sold out, keeps the order from being placed, and lets the line go', async () => {
    let items = [ordinary, seat({ seats_left: 0, status: 'sold_out' })];
    const refreshCounters = vi.fn(async () => undefined);
    const { calls } = stubApi([
      { match: isCart, body: () => cartOf(items) },
      {
        match: (url, init) => url === '/api/v1/cart/items/2' && init.method === 'DELETE',
        status: 204,
        body: () => {
          items = [ordinary];
          return null;
        },
      },
    ]);
    renderWithProviders(
      <Routes>
        <Route path="/cart" element={<CartPage />} />
      </Routes>,
      { path: '/cart', session: { timeZone: 'Europe/Moscow', refreshCounters } },
    );
    await screen.findAllByTestId('cart-item');

    const live = line('Маузер');
    expect(within(live).getByTestId('cart-seats').textContent).toBe('Мест нет');
    expect(live).toHaveClass('line-unavailable');
    expect(live.textContent).toContain('Место на этот показ купить нельзя');
    const checkout = screen.getByRole('button', { name: 'Оформить заказ' });
    expect(checkout).toBeDisabled();
    expect(screen.getByRole('alert').textContent).toBe('Заказ нельзя оформить: на показ «Маузер» место не купить. Удалите его из корзины.');
    expect(checkout).toHaveAttribute('aria-describedby', screen.getByRole('alert').id);

    fireEvent.click(within(live).getByRole('button', { name: 'Удалить «Маузер» из корзины' }));
    await waitFor(() => expect(screen.getAllByTestId('cart-item')).toHaveLength(1));
    expect(screen.getByRole('button', { name: 'Оформить заказ' })).toBeEnabled();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(calls.filter((c) => c.init.method === 'DELETE')).toHaveLength(1);
    expect(refreshCounters).toHaveBeenCalled();
  });

  it('says a show was cancelled or has started, and blocks the order for either', async () => {
    stubApi([
      {
        match: isCart,
        body: cartOf([
          { ...seat({ status: 'cancelled' }), id: 3 },
          { ...seat({ id: 12, status: 'started' }), id: 4, premiere: card(3, 'Вишнёвый сад') },
        ]),
      },
    ]);
    renderCart();
    await screen.findAllByTestId('cart-item');
    expect(within(line('Маузер')).getByTestId('cart-seats').textContent).toBe('Показ отменён');
    expect(within(line('Вишнёвый сад')).getByTestId('cart-seats').textContent).toBe('Показ уже начался');
    expect(screen.getByRole('button', { name: 'Оформить заказ' })).toBeDisabled();
    expect(screen.getByRole('alert').textContent).toContain('на некоторые показы место не купить');
  });
});
