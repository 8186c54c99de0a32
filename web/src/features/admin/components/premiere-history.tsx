import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import type { PremiereEvent } from '@/types/api';
import { formatDateTime } from '@/utils/dates';
import { formatMoney } from '@/utils/money';
import { getPremiereHistory } from '../api/premieres';

const LABEL: Record<string, string> = {
  created: 'Создана',
  updated: 'Изменена',
  price_changed: 'Изменены цены',
  hidden: 'Скрыта с витрины',
  shown: 'Возвращена на витрину',
  periods_changed: 'Изменены сроки аренды',
  cast_changed: 'Изменён состав',
};

function priceLine(e: PremiereEvent): string | null {
  if (e.type !== 'price_changed') return null;
  const o = e.payload.old as Record<string, number> | undefined;
  const n = e.payload.new as Record<string, number> | undefined;
  if (!o || !n) return null;
  const parts: string[] = [];
  if (o.price_online !== n.price_online) parts.push(`онлайн ${formatMoney(o.price_online)} → ${formatMoney(n.price_online)}`);
  if (o.price_theatre !== n.price_theatre) parts.push(`в театре ${formatMoney(o.price_theatre)} → ${formatMoney(n.price_theatre)}`);
  if (o.discount_percent !== n.discount_percent) parts.push(`скидка ${o.discount_percent} % → ${n.discount_percent} %`);
  return parts.join(', ') || null;
}

// The premiere's append-only history, newest first.
export function PremiereHistory({ id, refreshKey }: { id: number; refreshKey: number }) {
  const { timeZone } = useSession();
  const history = useQuery((signal) => getPremiereHistory(id, signal), [id, refreshKey]);
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">История изменений</h2>
      {history.error ? (
        <ErrorMessage error={history.error} onRetry={() => void history.reload()} />
      ) : !history.data ? (
        <Loading />
      ) : (
        <ol className="events">
          {history.data.items.map((e) => (
            <li key={e.id} data-testid="premiere-event">
              <strong>{LABEL[e.type] ?? e.type}</strong> · {formatDateTime(e.occurred_at, timeZone)}
              {priceLine(e) && <span className="muted"> · {priceLine(e)}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
