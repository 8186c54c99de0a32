import { useEffect, useState } from 'react';
import { topUp } from '@/api/top-up';
import { HistoryTable } from '@/components/history-table';
import { PaymentResult } from '@/components/payment-result';
import { TopUpForm } from '@/components/top-up-form';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import type { HistoryItem } from '@/types/api';
import { formatMoney } from '@/utils/money';
import { getHistory } from '../api/get-history';

export function BillingPage() {
  const session = useSession();
  const { refreshCounters } = session;
  const first = useQuery((signal) => getHistory(null, signal), []);
  const [more, setMore] = useState<HistoryItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  // Back from the payment page the balance has changed: ask again.
  useEffect(() => {
    void refreshCounters();
  }, [refreshCounters]);

  useEffect(() => {
    // A new first page (the page opened or the history reloaded) starts the "more" pages over from its cursor.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setMore([]);
    setCursor(first.data?.next_cursor ?? null);
  }, [first.data]);

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await getHistory(cursor);
      setMore((prev) => [...prev, ...page.items]);
      setCursor(page.next_cursor);
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  const fill = async (kopecks: number) => {
    const payment = await topUp(kopecks, '/billing');
    window.location.assign(payment.confirmation_url);
  };

  const items = [...(first.data?.items ?? []), ...more];
  return (
    <section>
      <h1>Баланс</h1>
      <PaymentResult />
      <p className="big-amount" aria-label="Баланс">
        {session.balance === null ? '—' : formatMoney(session.balance)}
      </p>
      <TopUpForm initialRubles="500" label="Сумма, ₽" onSubmit={fill} />
      <h2>История операций</h2>
      {first.error ? (
        <ErrorMessage error={first.error} onRetry={() => void first.reload()} />
      ) : !first.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="muted">Операций пока нет.</p>
      ) : (
        <>
          <HistoryTable items={items} timeZone={session.timeZone} />
          <ErrorMessage error={moreError} />
          {cursor && (
            <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
              {loadingMore ? 'Загружаем…' : 'Показать ещё'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
