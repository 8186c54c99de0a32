import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { getCart } from '@/api/get-cart';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import { cartSeatOpen } from '@/utils/shows';
import { linesFromCart } from '../checkout-lines';
import { CheckoutForm } from './checkout-form';
import { OrderPayment } from './order-payment';

export function CheckoutPage() {
  const [params] = useSearchParams();
  const orderId = params.get('order');
  return orderId ? <OrderPayment orderId={orderId} /> : <NewOrder />;
}

function NewOrder() {
  const { timeZone } = useSession();
  const navigate = useNavigate();
  const cart = useQuery((signal) => getCart(signal), []);

  return (
    <section>
      <h1>Оформление заказа</h1>
      {cart.error ? (
        <ErrorMessage error={cart.error} onRetry={() => void cart.reload()} />
      ) : !cart.data ? (
        <Loading />
      ) : cart.data.items.length === 0 ? (
        <p className="empty">
          Корзина пуста. <Link to="/">Выберите премьеру</Link>
        </p>
      ) : cart.data.items.some((item) => item.show && !cartSeatOpen(item.show)) ? (
        // The cart says which seat went (sold out, cancelled, started) and removes it.
        <p className="alert alert-error" role="alert">
          <span>
            В корзине есть место на показ, которое уже не купить. <Link to="/cart">Вернуться в корзину</Link>
          </span>
        </p>
      ) : (
        <CheckoutForm
          initialLines={linesFromCart(cart.data, timeZone)}
          // The order id goes into the address so that a reload, or the way back from the payment page, finds it.
          onOrdered={(order) => navigate(`/checkout?order=${encodeURIComponent(order.id)}`, { state: { order } })}
        />
      )}
    </section>
  );
}
