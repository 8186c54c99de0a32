import type { Order } from '@/types/api';
import { formatDateTime } from '@/utils/dates';
import { formatMoney } from '@/utils/money';
import { hoursLabel } from '@/utils/periods';

export function OrderLines({ order, timeZone }: { order: Order; timeZone: string }) {
  return (
    <ul className="lines">
      {order.items.map((item) => (
        <li key={`${item.premiere_id}|${item.starts_at}`} className="line">
          <div className="line-main">
            <span className="line-title">{item.title}</span>
            <div className="muted">
              {item.starts_on_payment && order.status === 'pending_payment'
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
