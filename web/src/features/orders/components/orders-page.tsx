import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { OrderCard } from '@/components/order-card';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import type { OrderHistory, OrderHistoryItem } from '@/types/api';
import { getOrders } from '../api/get-orders';

// The older pages «Показать ещё» loaded, tied to the first page they continue: a first page loaded again
// («Повторить» after an error) starts them over.
type More = { after: OrderHistory; items: OrderHistoryItem[]; nextBefore: string | null };

export function OrdersPage() {
  const session = useSession();
  const [params] = useSearchParams();
  // The purchase email links to /orders?order=<id>: that order is marked and scrolled to.
  const wanted = params.get('order');
  const first = useQuery((signal) => getOrders(null, signal), []);
  const [more, setMore] = useState<More | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const extra = more && more.after === first.data ? more : null;
  const orders = [...(first.data?.items ?? []), ...(extra?.items ?? [])];
  const nextBefore = extra ? extra.nextBefore : (first.data?.next_before ?? null);

  const loadMore = async () => {
    const after = first.data;
    if (!after || !nextBefore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await getOrders(nextBefore);
      setMore((prev) => {
        const kept = prev && prev.after === after ? prev.items : [];
        // An order already listed is not listed twice (one key per order).
        const seen = new Set([...after.items, ...kept].map((o) => o.id));
        return { after, items: [...kept, ...page.items.filter((o) => !seen.has(o.id))], nextBefore: page.next_before };
      });
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <section>
      <h1>Мои заказы</h1>
      {first.error ? (
        <ErrorMessage error={first.error} onRetry={() => void first.reload()} />
      ) : !first.data ? (
        <Loading />
      ) : orders.length === 0 ? (
        <p className="empty">
          Заказов пока нет. <Link to="/">Выбрать премьеру</Link>
        </p>
      ) : (
        <>
          <ul className="orders">
            {orders.map((o) => (
              <OrderCard key={o.id} order={o} timeZone={session.timeZone} current={o.id === wanted} />
            ))}
          </ul>
          <ErrorMessage error={moreError} />
          {nextBefore && (
            <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
              {loadingMore ? 'Загружаем…' : 'Показать ещё'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
