import { useEffect, useRef } from 'react';
import { OrderLines } from '@/components/order-lines';
import type { OrderHistoryItem } from '@/types/api';
import { formatDateTime } from '@/utils/dates';
import { formatMoney } from '@/utils/money';
import { STATUS_LABEL, receiptLabel, statusClass } from '../order-labels';

// One order of «Мои заказы»: when placed, its status, its lines, the total, the money that moved for it (each
// movement with its receipt) and what was paid and refunded. `current`: the order the customer came to see
// (/orders?order=<id>, the purchase email's link) — marked, and scrolled to when it appears.
export function OrderCard({ order, timeZone, current = false }: { order: OrderHistoryItem; timeZone: string; current?: boolean }) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (current) ref.current?.scrollIntoView({ block: 'start' });
  }, [current]);

  return (
    <li ref={ref} className={current ? 'order order-current' : 'order'} aria-current={current ? 'true' : undefined} data-testid="order">
      <div className="order-head">
        <h2>
          Заказ от <time dateTime={order.created_at}>{formatDateTime(order.created_at, timeZone)}</time>
        </h2>
        <span className={`status ${statusClass(order.status)}`}>{STATUS_LABEL[order.status]}</span>
      </div>
      <OrderLines items={order.items} pending={order.status === 'pending_payment'} timeZone={timeZone} className="order-lines" />
      <p className="order-total">
        Итого: <b>{formatMoney(order.total)}</b>
      </p>
      {order.movements.length > 0 && (
        <>
          <h3>Платежи и возвраты</h3>
          <ul className="movements">
            {order.movements.map((m, i) => {
              const at = formatDateTime(m.at, timeZone);
              return (
                <li key={`${m.kind}|${m.at}|${i}`} className={`movement movement-${m.kind}`} data-testid="movement">
                  <span className="movement-reason">{m.reason}</span>
                  <time className="muted" dateTime={m.at}>
                    {at}
                  </time>
                  <span className="movement-amount">{formatMoney(Math.abs(m.amount))}</span>
                  {m.receipt_url && (
                    <a href={m.receipt_url} target="_blank" rel="noopener">
                      {receiptLabel(m.kind)}
                      {/* Many «Чек» links on one page: a screen reader's list of links tells them apart. */}
                      <span className="visually-hidden">
                        : {m.reason}, {at} (откроется в новой вкладке)
                      </span>
                    </a>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <dl className="order-sums">
        <div>
          <dt>Оплачено</dt>
          <dd>{formatMoney(order.paid)}</dd>
        </div>
        {order.refunded > 0 && (
          <div>
            <dt>Возвращено</dt>
            <dd>{formatMoney(order.refunded)}</dd>
          </div>
        )}
      </dl>
    </li>
  );
}
