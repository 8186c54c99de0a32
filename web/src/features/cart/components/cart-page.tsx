import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { getCart } from '@/api/get-cart';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import { formatDateTime } from '@/utils/dates';
import { formatMoney } from '@/utils/money';
import { hoursLabel } from '@/utils/periods';
import { removeCartItem } from '../api/remove-cart-item';

export function CartPage() {
  const session = useSession();
  const navigate = useNavigate();
  const cart = useQuery((signal) => getCart(signal), []);
  const [removing, setRemoving] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);

  const remove = async (id: number) => {
    setRemoving(id);
    setError(null);
    try {
      await removeCartItem(id);
      await cart.reload();
      await session.refreshCounters();
    } catch (e) {
      setError(e);
    } finally {
      setRemoving(null);
    }
  };

  if (!cart.data) {
    return (
      <section>
        <h1>Корзина</h1>
        {cart.error ? <ErrorMessage error={cart.error} onRetry={() => void cart.reload()} /> : <Loading />}
      </section>
    );
  }
  const { items, total } = cart.data;
  return (
    <section>
      <h1>Корзина</h1>
      <ErrorMessage error={error} />
      {items.length === 0 ? (
        <p className="empty">
          В корзине пока пусто. <Link to="/">Выберите премьеру</Link>
        </p>
      ) : (
        <>
          <ul className="lines">
            {items.map((item) => (
              <li key={item.id} className="line" data-testid="cart-item">
                <img src={item.premiere.poster_url} alt="" width={60} height={90} className="thumb" />
                <div className="line-main">
                  <Link to={`/premiere/${item.premiere.id}`} className="line-title">
                    {item.premiere.title}
                  </Link>
                  <div className="muted">
                    Срок: {hoursLabel(item.period)}
                    {item.starts_at && <> · начало {formatDateTime(item.starts_at, session.timeZone)}</>}
                  </div>
                </div>
                <div className="line-price">{formatMoney(item.price)}</div>
                <button
                  type="button"
                  className="button-ghost"
                  onClick={() => void remove(item.id)}
                  disabled={removing === item.id}
                  aria-label={`Удалить «${item.premiere.title}» из корзины`}
                >
                  Удалить
                </button>
              </li>
            ))}
          </ul>
          <div className="summary">
            <p className="total">
              Итого: <b>{formatMoney(total)}</b>
            </p>
            <button type="button" className="primary big-button" onClick={() => navigate('/checkout')}>
              Оформить заказ
            </button>
          </div>
        </>
      )}
    </section>
  );
}
