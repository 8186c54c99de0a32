import { useEffect, useState } from 'react';
import { api } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import type { Notification } from '@/lib/types';
import { ErrorMessage, Loading } from '@/components/ui';
import { formatDateTime } from '@/utils/format';

type Prefs = { email: boolean; sms: boolean; in_app: boolean };

export function NotificationsPage() {
  const session = useSession();
  const [list, setList] = useState<{ items: Notification[]; unread: number } | null>(null);
  const [prefs, setPrefs] = useState<Prefs | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = () =>
    Promise.all([api<{ items: Notification[]; unread: number }>('GET', '/notifications'), api<Prefs>('GET', '/me/notifications')])
      .then(([l, p]) => {
        setList(l);
        setPrefs(p);
      })
      .catch(setError);
  useEffect(() => {
    void load();
  }, []);

  const toggle = async (k: keyof Prefs) => {
    setError(null);
    try {
      setPrefs(await api<Prefs>('PATCH', '/me/notifications', { body: { ...prefs, [k]: !prefs![k] } }));
    } catch (e) {
      setError(e);
    }
  };

  const read = async (id: number) => {
    await api('POST', `/notifications/${id}/read`).catch(setError);
    await load();
  };

  if (!list || !prefs) return error ? <ErrorMessage error={error} /> : <Loading />;
  return (
    <section>
      <h1>Уведомления {list.unread > 0 && <span className="count">{list.unread}</span>}</h1>
      <fieldset className="panel">
        <legend>Как сообщать</legend>
        {(['email', 'sms', 'in_app'] as const).map((k) => (
          <label key={k} className="checkbox">
            <input type="checkbox" checked={prefs[k]} onChange={() => void toggle(k)} />{' '}
            {k === 'email' ? 'Электронная почта' : k === 'sms' ? 'SMS' : 'В личном кабинете'}
          </label>
        ))}
      </fieldset>
      <ErrorMessage error={error} />
      <ul className="notifications">
        {list.items.map((n) => (
          <li key={n.id} className={n.read ? 'read' : 'unread'}>
            <b>{n.title}</b> <span className="muted">{formatDateTime(n.created_at, session.timeZone)}</span>
            <pre>{n.body}</pre>
            {!n.read && (
              <button type="button" className="link" onClick={() => void read(n.id)}>
                Прочитано
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
