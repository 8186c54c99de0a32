import { useState } from 'react';
import { OrderCard } from '@/components/order-card';
import type { OrderHistoryItem, Refund, Rental } from '@/types/api';
import { formatMoney } from '@/utils/money';
import { RefundForm } from './refund-form';

// «Заказы» on the customer card: each order as the customer sees it in «Мои заказы» (without the receipt links: a
// receipt opens for its customer only), with «Вернуть деньги» while something is left to refund.
export function CustomerOrders({
  orders,
  rentals,
  timeZone,
  onRefunded,
}: {
  orders: OrderHistoryItem[];
  rentals: Rental[];
  timeZone: string;
  onRefunded: () => void;
}) {
  if (orders.length === 0) return <p className="empty">Заказов нет.</p>;
  return (
    <ul className="orders">
      {orders.map((o) => (
        <OrderCard key={o.id} order={o} timeZone={timeZone} level={3} receipts={false}>
          <p className="muted order-number">Номер заказа: {o.id}</p>
          <OrderRefund order={o} rentals={rentals.filter((r) => r.order_id === o.id)} timeZone={timeZone} onRefunded={onRefunded} />
        </OrderCard>
      ))}
    </ul>
  );
}

function OrderRefund({
  order,
  rentals,
  timeZone,
  onRefunded,
}: {
  order: OrderHistoryItem;
  rentals: Rental[];
  timeZone: string;
  onRefunded: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<Refund | null>(null);
  const refundable = order.paid - order.refunded > 0;

  return (
    <div className="order-actions">
      {done && (
        <p className="success" role="status">
          Возвращено {formatMoney(done.amount)} на баланс покупателя.
          {typeof done.refundable === 'number' &&
            (done.refundable > 0 ? ` По заказу можно вернуть ещё ${formatMoney(done.refundable)}.` : ' По заказу вернули всё.')}
        </p>
      )}
      {open ? (
        <RefundForm
          order={order}
          rentals={rentals}
          timeZone={timeZone}
          onRefunded={(refund) => {
            setOpen(false);
            setDone(refund);
            onRefunded();
          }}
          onCancel={() => setOpen(false)}
        />
      ) : (
        refundable && (
          <button
            type="button"
            onClick={() => {
              setDone(null);
              setOpen(true);
            }}
          >
            Вернуть деньги
          </button>
        )
      )}
    </div>
  );
}
