import type { HistoryItem } from '@/types/api';
import { formatDateTime } from '@/utils/dates';
import { formatMoney } from '@/utils/money';

const TYPE_LABEL: Record<HistoryItem['type'], string> = { top_up: 'Пополнение', withdraw: 'Оплата премьеры', refund: 'Возврат' };

export function HistoryTable({ items, timeZone }: { items: HistoryItem[]; timeZone: string }) {
  return (
    <table className="history">
      <caption className="visually-hidden">История операций</caption>
      <thead>
        <tr>
          <th scope="col">Дата</th>
          <th scope="col">Операция</th>
          <th scope="col" className="num">
            Сумма
          </th>
          <th scope="col" className="num">
            Баланс после
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((h) => (
          <tr key={h.id}>
            <td>{formatDateTime(h.created_at, timeZone)}</td>
            <td>{TYPE_LABEL[h.type] ?? h.type}</td>
            <td className={h.type === 'withdraw' ? 'num minus' : 'num plus'}>
              {h.type === 'withdraw' ? '−' : '+'}
              {formatMoney(Math.abs(h.amount))}
            </td>
            <td className="num">{formatMoney(h.balance_after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
