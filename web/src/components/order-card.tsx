import { useEffect, useRef, type ReactNode } from 'react';
import type { OrderHistoryItem } from '@/types/api';
import { formatDateTime } from '@/utils/dates';
import { formatMoney } from '@/utils/money';
import { STATUS_LABEL, receiptLabel, statusClass } from '@/utils/order-labels';
import { OrderLines } from './order-lines';

// One order of «Мои заказы»: when placed, its status, its lines, the total, the money that moved for it (each
// movement with its receipt) and what was paid and refunded. `current`: the order the customer came to see
// (/orders?order=<id>, the purchase email's link) — marked, and scrolled to when it appears.
// The staff's customer card shows the same order one heading level down (`level` 3, under «Заказы»), without the
// receipt links (a receipt opens for its customer only) and with its own actions (`children`, at the end).
export function OrderCard({
  order,
  timeZone,
  current = false,
  level = 2,
  receipts = true,
  children,
}: {
  order: OrderHistoryItem;
  timeZone: string;
  current?: boolean;
  level?: 2 | 3;
  receipts?: boolean;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (current) ref.current?.scrollIntoView({ block: 'start' });
  }, [current]);
  const Heading = level === 2 ? 'h2' : 'h3';
  const Subheading = level === 2 ? 'h3' : 'h4';

  return (
    <li ref={ref} className={current ? 'order order-current' : 'order'} aria-current={current ? 'true' : undefined} data-testid="order">
      <div className="order-head">
        <Heading>
          Заказ от <time dateTime={order.created_at}>{formatDateTime(order.created_at, timeZone)}</time>
        </Heading>
        <span className={`status ${statusClass(order.status)}`}>{STATUS_LABEL[order.status]}</span>
      </div>
      <OrderLines items={order.items} pending={order.status === 'pending_payment'} timeZone={timeZone} className="order-lines" />
      <p className="order-total">
        Итого: <b>{formatMoney(order.total)}</b>
      </p>
      {order.movements.length > 0 && (
        <>
          <Subheading>Платежи и возвраты</Subheading>
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
                  {receipts && m.receipt_url && (
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
      {children}
    </li>
  );
}
