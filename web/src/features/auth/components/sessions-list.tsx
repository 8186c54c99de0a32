import { useRef, useState } from 'react';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { ApiError } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import type { useQuery } from '@/lib/use-query';
import { formatDateTime } from '@/utils/dates';
import { deviceName } from '@/utils/device-name';
import { endSession, type AccountSession } from '../api/account-security';
import { LogoutEverywhere } from './logout-everywhere';

type Sessions = ReturnType<typeof useQuery<{ items: AccountSession[] }>>;

// «Где выполнен вход»: the account's sessions (the page loads them, and reloads them after a new password), each
// but this one with «Завершить»; then «Выйти на всех устройствах».
export function SessionsList({ sessions }: { sessions: Sessions }) {
  const { timeZone } = useSession();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [ending, setEnding] = useState<string | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const end = async (s: AccountSession) => {
    setEnding(s.id);
    setEnded(null);
    setError(null);
    try {
      await endSession(s.id);
    } catch (e) {
      // A 404: that session is over already (expired, or ended elsewhere) — which is what was asked.
      if (!(e instanceof ApiError && e.status === 404)) {
        setError(e);
        setEnding(null);
        return;
      }
    }
    sessions.setData((data) => data && { items: data.items.filter((i) => i.id !== s.id) });
    setEnded(deviceName(s.device));
    setEnding(null);
    // The button is gone with its line: focus goes to the section, where the status below is read next.
    headingRef.current?.focus();
  };

  return (
    <section className="panel" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" ref={headingRef} tabIndex={-1}>
        Где выполнен вход
      </h2>
      {ended && (
        <p className="success" role="status">
          Сеанс завершён: {ended}.
        </p>
      )}
      <ErrorMessage error={error} />
      {sessions.error ? (
        <ErrorMessage error={sessions.error} onRetry={() => void sessions.reload()} />
      ) : !sessions.data ? (
        <Loading />
      ) : (
        <ul className="sessions">
          {sessions.data.items.map((s) => {
            const device = deviceName(s.device);
            return (
              <li key={s.id} className={s.current ? 'session session-current' : 'session'} data-testid="session">
                <div className="session-main">
                  <h3>
                    {device}
                    {s.current && (
                      <>
                        {' '}
                        <span className="badge">Это устройство</span>
                      </>
                    )}
                  </h3>
                  {s.address && <p className="muted">IP-адрес: {s.address}</p>}
                  <p className="muted">
                    Вход: <time dateTime={s.created_at}>{formatDateTime(s.created_at, timeZone)}</time>
                    <br />
                    Активность: <time dateTime={s.last_seen_at}>{formatDateTime(s.last_seen_at, timeZone)}</time>
                  </p>
                </div>
                {!s.current && (
                  <button type="button" aria-label={`Завершить сеанс: ${device}`} disabled={ending !== null} onClick={() => void end(s)}>
                    {ending === s.id ? 'Завершаем…' : 'Завершить'}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <LogoutEverywhere />
    </section>
  );
}
