import { useState } from 'react';
import { AdminNav } from '@/components/admin-nav';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import { formatDateTime } from '@/utils/dates';
import { listDeadLetters, replayDeadLetter } from '../api/dead-letters';

// Admin: messages the notification service could not handle, with the reason; one click sends one again.
export function DeadLettersPage() {
  const { timeZone } = useSession();
  const list = useQuery((signal) => listDeadLetters(signal), []);
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<{ id: number; error: unknown } | null>(null);

  const replay = async (id: number) => {
    setBusy(id);
    setError(null);
    try {
      await replayDeadLetter(id);
      await list.reload();
    } catch (e) {
      setError({ id, error: e });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section>
      <AdminNav />
      <h1>Недоставленные сообщения</h1>
      <p className="muted">События, которые сервис уведомлений не смог обработать после всех попыток.</p>
      {list.error ? (
        <ErrorMessage error={list.error} onRetry={() => void list.reload()} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <p className="empty">Недоставленных сообщений нет.</p>
      ) : (
        <ul className="dead-letters">
          {list.data.items.map((d) => (
            <li key={d.id} className="panel" data-testid="dead-letter">
              <p>
                <strong>{d.subject}</strong> · {formatDateTime(d.created_at, timeZone)} · попыток: {d.deliveries}
              </p>
              <p className="alert alert-error">{d.reason}</p>
              <details>
                <summary>Содержимое</summary>
                <pre className="payload">{d.data}</pre>
              </details>
              {error?.id === d.id && <ErrorMessage error={error.error} />}
              {d.replayed ? (
                <p className="muted">Отправлено повторно.</p>
              ) : (
                <button type="button" onClick={() => void replay(d.id)} disabled={busy !== null} aria-busy={busy === d.id}>
                  {busy === d.id && <span className="spinner" aria-hidden="true" />} Отправить снова
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
