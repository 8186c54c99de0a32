import type { ImportJob } from '@/types/api';
import { formatDateTime } from '@/utils/dates';
import { IMPORT_STATUS } from '../catalog-import';

// «Последние импорты»: the 20 latest, newest first, with who started each and what it did.
export function ImportHistory({ items, timeZone }: { items: ImportJob[]; timeZone: string }) {
  if (items.length === 0) return <p className="empty">Импортов ещё не было.</p>;
  return (
    <div className="table-scroll">
      <table className="history import-history">
        <caption className="visually-hidden">Последние импорты</caption>
        <thead>
          <tr>
            <th scope="col">Начат</th>
            <th scope="col">Администратор</th>
            <th scope="col">Статус</th>
            <th scope="col" className="num">
              Строк
            </th>
            <th scope="col" className="num">
              Новых
            </th>
            <th scope="col" className="num">
              Обновлено
            </th>
            <th scope="col" className="num">
              Без изменений
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={String(i.id)} data-testid="import-history-row">
              <td>
                <time dateTime={i.started_at}>{formatDateTime(i.started_at, timeZone)}</time>
              </td>
              <td>{i.admin}</td>
              <td>
                <span className={`status status-import-${i.status}`}>{IMPORT_STATUS[i.status] ?? i.status}</span>
                {i.status !== 'done' && i.done < i.total && (
                  <span className="muted">
                    {' '}
                    · {i.done} из {i.total}
                  </span>
                )}
                {i.status === 'failed' && i.error && <div className="muted import-history-error">{i.error}</div>}
              </td>
              <td className="num">{i.total}</td>
              <td className="num">{i.created}</td>
              <td className="num">{i.updated}</td>
              <td className="num">{i.unchanged}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
