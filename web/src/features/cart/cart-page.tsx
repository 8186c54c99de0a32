import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import type { Cart } from '@/lib/types';
import { ErrorMessage, Loading } from '@/components/ui';
import { formatMoney, hoursLabel } from '@/utils/format';

export function CartPage() {
  const [cart, setCart] = useState<Cart | null>(null);
  const [error, setError] = useState<unknown>(null);
  const session = useSession();
  const navigate = useNavigate();

  const load = () => api<Cart>('GET', '/cart').then(setCart).catch(setError);
  useEffect(() => {
    void load();
  }, []);

  const remove = async (id: number) => {
    try {
      await api('DELETE', `/cart/items/${id}`);
      await load();
      await session.refreshCounters();
    } catch (e) {
      setError(e);
    }
  };

  if (!cart) return error ? <ErrorMessage error={error} /> : <Loading />;
  return (
    <section>
      <h1>Корзина</h1>
      <ErrorMessage error={error} />
      {cart.items.length === 0 ? (
        <p>
          В корзине пока пусто. <Link to="/">Выберите премьеру</Link>
        </p>
      ) : (
        <>
          <ul className="cart">
            {cart.items.map((item) => (
              <li key={item.id} data-testid="cart-item">
                <img src={item.premiere.poster_url} alt="" width={60} height={90} />
                <div>
                  <Link to={`/premiere/${item.premiere.id}`}>
                    <b>{item.premiere.title}</b>
                  </Link>
                  <div className="muted">{hoursLabel(item.period)}</div>
                </div>
                <div className="price">{formatMoney(item.price)}</div>
                <button type="button" className="link" onClick={() => void remove(item.id)} aria-label={`Удалить «${item.premiere.title}»`}>
                  Удалить
                </button>
              </li>
            ))}
          </ul>
          <p className="total">
            Итого: <b>{formatMoney(cart.total)}</b>
          </p>
          <button type="button" className="primary" onClick={() => navigate('/checkout')}>
            Оформить заказ
          </button>
        </>
      )}
    </section>
  );
}
