import { useState } from 'react';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { useQuery } from '@/lib/use-query';
import { phoneVerified, useSession } from '@/lib/session';
import { formatDateTime } from '@/utils/dates';
import { getNotifications } from '../api/get-notifications';
import { markRead } from '../api/mark-read';
import { PreferencesForm } from './preferences-form';

export function NotificationsPage() {
  const session = useSession();
  const list = useQuery((signal) => getNotifications(signal), []);
  const [error, setError] = useState<unknown>(null);

  const read = async (id: number) => {
    setError(null);
    try {
      await markRead(id);
      await Promise.all([list.reload(), session.refreshCounters()]);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section>
      <h1>
        Уведомления{' '}
        {list.data && list.data.unread > 0 && (
          <span className="count" aria-label={`непрочитанных: ${list.data.unread}`}>
            {list.data.unread}
          </span>
        )}
      </h1>
      <PreferencesForm phoneVerified={phoneVerified(session.user)} />
      <ErrorMessage error={error} />
      {list.error ? (
        <ErrorMessage error={list.error} onRetry={() => void list.reload()} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <p className="muted">Уведомлений пока нет.</p>
      ) : (
        <>
          <p className="muted">Непрочитанных: {list.data.unread}</p>
          <ul className="notifications">
            {list.data.items.map((n) => (
              <li key={n.id} className={n.read ? 'note' : 'note note-unread'}>
                <div className="note-head">
                  <h2>{n.title}</h2>
                  <time dateTime={n.created_at} className="muted">
                    {formatDateTime(n.created_at, session.timeZone)}
                  </time>
                </div>
                <p className="note-body">{n.body}</p>
                {!n.read && (
                  <button type="button" className="button-ghost" onClick={() => void read(n.id)}>
                    Отметить прочитанным
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
