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
import { cartSeatOpen, cartSeatsLabel } from '@/utils/shows';
import { removeCartItem } from '../api/remove-cart-item';

// The cart's lines with their prices and «Удалить». A line may be a seat at a live show (ADR 0027): the cart holds no
// seat, so it says how many are left now, or that the show sold out, was cancelled or has started — such a line cannot
// be bought, and the order cannot be placed until it is removed.
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
  const blocked = items.filter((item) => item.show && !cartSeatOpen(item.show));
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
              <li key={item.id} className={item.show && !cartSeatOpen(item.show) ? 'line line-unavailable' : 'line'} data-testid="cart-item">
                <img src={item.premiere.poster_url} alt="" width={60} height={90} className="thumb" />
                <div className="line-main">
                  <Link to={`/premiere/${item.premiere.id}`} className="line-title">
                    {item.premiere.title}
                  </Link>
                  {item.show ? (
                    <>
                      <div className="muted">
                        Прямая трансляция: <time dateTime={item.show.starts_at}>{formatDateTime(item.show.starts_at, session.timeZone)}</time> · срок:{' '}
                        {hoursLabel(item.period)}
                      </div>
                      <div className={cartSeatOpen(item.show) ? 'show-seats' : 'show-sold-out'} data-testid="cart-seats">
                        {cartSeatsLabel(item.show)}
                      </div>
                      {!cartSeatOpen(item.show) && <p className="field-error">Место на этот показ купить нельзя: удалите его из корзины.</p>}
                    </>
                  ) : (
                    <div className="muted">
                      Срок: {hoursLabel(item.period)}
                      {item.starts_at && <> · начало {formatDateTime(item.starts_at, session.timeZone)}</>}
                    </div>
                  )}
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
          {blocked.length > 0 && (
            <p className="alert alert-error" role="alert" id="cart-blocked">
              {blocked.length === 1
                ? `Заказ нельзя оформить: на показ «${blocked[0].premiere.title}» место не купить. Удалите его из корзины.`
                : 'Заказ нельзя оформить: на некоторые показы место не купить. Удалите их из корзины.'}
            </p>
          )}
          <div className="summary">
            <p className="total">
              Итого: <b>{formatMoney(total)}</b>
            </p>
            <button
              type="button"
              className="primary big-button"
              onClick={() => navigate('/checkout')}
              disabled={blocked.length > 0}
              aria-describedby={blocked.length > 0 ? 'cart-blocked' : undefined}
            >
              Оформить заказ
            </button>
          </div>
        </>
      )}
    </section>
  );
}
