import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { cardFixture } from '@/testing/fixtures';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { Card, Cart } from '@/types/api';
import { CheckoutPage } from './checkout-page';

const mauser: Card = cardFixture(1, 'Маузер');
const show = { id: 11, starts_at: '2098-12-07T16:00:00Z', seats_left: 0, status: 'sold_out' as const };
const cart: Cart = { items: [{ id: 2, premiere: mauser, period: 24, starts_at: show.starts_at, price: 59900, show }], total: 59900 };

afterEach(() => vi.unstubAllGlobals());

describe('checkout page', () => {
  it('places no order while a seat in the cart can no longer be bought', async () => {
    const { calls } = stubApi([{ match: (url) => url === '/api/v1/cart', body: cart }]);
    renderWithProviders(
      <Routes>
        <Route path="/checkout" element={<CheckoutPage />} />
      </Routes>,
      { path: '/checkout' },
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('В корзине есть место на показ, которое уже не купить. Вернуться в корзину');
    expect(screen.getByRole('link', { name: 'Вернуться в корзину' })).toHaveAttribute('href', '/cart');
    expect(screen.queryByRole('form', { name: 'Оформление заказа' })).toBeNull();
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/cart']);
  });
});
