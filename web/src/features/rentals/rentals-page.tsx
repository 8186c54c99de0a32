import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import type { Rental } from '@/lib/types';
import { ErrorMessage, Loading } from '@/components/ui';
import { countdown, formatDateTime, formatMoney } from '@/utils/format';

const STATUS: Record<Rental['status'], string> = {
  upcoming: 'Скоро',
  active: 'Идёт',
  expired: 'Завершена',
  cancelled: 'Отменена',
};

export function RentalsPage() {
  const session = useSession();
  const [rentals, setRentals] = useState<Rental[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [now, setNow] = useState(Date.now());

  const load = () =>
    api<{ items: Rental[] }>('GET', '/rentals')
      .then((r) => setRentals(r.items))
      .catch(setError);

  useEffect(() => {
    void load();
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, []);

  const cancel = async (r: Rental) => {
    if (!window.confirm(`Отменить аренду «${r.title}»? Деньги вернутся на баланс.`)) return;
    try {
      await api('POST', `/rentals/${r.id}/cancel`);
      await load();
      await session.refreshCounters();
    } catch (e) {
      setError(e);
    }
  };

  if (!rentals) return error ? <ErrorMessage error={error} /> : <Loading />;
  return (
    <section>
      <h1>Мои премьеры</h1>
      <ErrorMessage error={error} />
      {rentals.length === 0 && (
        <p>
          Здесь появятся оплаченные премьеры. <Link to="/">Найти премьеру</Link>
        </p>
      )}
      <ul className="rentals">
        {rentals.map((r) => {
          const status = r.status === 'upcoming' && now >= Date.parse(r.starts_at) ? 'active' : r.status;
          const toStart = countdown(r.starts_at, now);
          const toEnd = countdown(r.ends_at, now);
          return (
            <li key={r.id} data-testid="rental">
              <img src={r.poster_url} alt="" width={80} height={120} />
              <div>
                <h2>{r.title}</h2>
                <p>
                  <span className={`status status-${status}`}>{STATUS[status]}</span> · с {formatDateTime(r.starts_at, session.timeZone)} до{' '}
                  {formatDateTime(r.ends_at, session.timeZone)} · {formatMoney(r.amount)}
                </p>
                {status === 'upcoming' && toStart && <p className="countdown">До начала: {toStart}</p>}
                {status === 'active' && toEnd && <p className="countdown">До конца: {toEnd}</p>}
                {status === 'active' && (
                  <Link className="button primary" to={`/watch/${r.id}`}>
                    Смотреть
                  </Link>
                )}
                {status === 'upcoming' && (
                  <button type="button" onClick={() => void cancel(r)}>
                    Отменить
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
