import type { OrderItem } from '@/types/api';
import { formatDateTime } from '@/utils/dates';
import { formatMoney } from '@/utils/money';
import { hoursLabel } from '@/utils/periods';

// An order's lines: each premiere with its period and window (or «сразу после оплаты» for a line that starts when
// a still pending order is paid), «Прямая трансляция» for a seat at a live show, and its price. Checkout shows them as cards; «Мои заказы» inside an order's card
// (className "order-lines", styled flat there).
export function OrderLines({
  items,
  pending,
  timeZone,
  className = 'lines',
}: {
  items: OrderItem[];
  pending: boolean;
  timeZone: string;
  className?: string;
}) {
  return (
    <ul className={className}>
      {items.map((item) => (
        <li key={`${item.premiere_id}|${item.starts_at}`} className="line">
          <div className="line-main">
            <span className="line-title">{item.title}</span>
            {item.show_id != null && <div className="muted">Прямая трансляция</div>}
            <div className="muted">
              {item.starts_on_payment && pending
                ? `${hoursLabel(item.period)}: сразу после оплаты`
                : `${hoursLabel(item.period)}: с ${formatDateTime(item.starts_at, timeZone)} до ${formatDateTime(item.ends_at, timeZone)}`}
            </div>
          </div>
          <div className="line-price">{formatMoney(item.price)}</div>
        </li>
      ))}
    </ul>
  );
}
