import { Link } from 'react-router-dom';
import type { Order } from '@/types/api';
import { formatMoney } from '@/utils/money';
import { OrderLines } from '@/components/order-lines';

export function CheckoutSuccess({ order, timeZone }: { order: Order; timeZone: string }) {
  return (
    <section className="success-page">
      <h1>Премьера оплачена</h1>
      <p className="success" role="status">
        Списано {formatMoney(order.total)}. Письмо с подтверждением и сроком просмотра уже в пути.
      </p>
      <OrderLines items={order.items} pending={order.status === 'pending_payment'} timeZone={timeZone} />
      <p>
        <Link to="/rentals" className="button primary">
          Перейти в «Мои премьеры»
        </Link>
      </p>
    </section>
  );
}
