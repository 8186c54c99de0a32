import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import type { Rental } from '@/types/api';
import { formatMoney } from '@/utils/money';
import { cancelRental } from '../api/cancel-rental';
import { getRentals } from '../api/get-rentals';
import { changeNotice } from '../rental-change';
import { ChangeDialog } from './change-dialog';
import { ExtendDialog } from './extend-dialog';
import { RentalCard } from './rental-card';

export function RentalsPage() {
  const session = useSession();
  const location = useLocation();
  const rentals = useQuery((signal) => getRentals(signal), []);
  const [now, setNow] = useState(() => Date.now());
  const [asking, setAsking] = useState<Rental | null>(null);
  const [extending, setExtending] = useState<Rental | null>(null);
  const [changing, setChanging] = useState<Rental | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // A page that sends the customer here may hand over a line to show (navigate('/rentals', { state: { notice } })).
  const [notice, setNotice] = useState<string | null>(() => (location.state as { notice?: string } | null)?.notice ?? null);

  useEffect(() => {
    const tick = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(tick);
  }, []);

  const cancel = async (rental: Rental) => {
    setBusy(true);
    setError(null);
    try {
      await cancelRental(rental.id);
      setNotice(`Аренда «${rental.title}» отменена, ${formatMoney(rental.amount)} вернулись на баланс.`);
      await Promise.all([rentals.reload(), session.refreshCounters()]);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      setAsking(null);
    }
  };

  return (
    <section>
      <h1>Мои премьеры</h1>
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      <ErrorMessage error={error} />
      {rentals.error ? (
        <ErrorMessage error={rentals.error} onRetry={() => void rentals.reload()} />
      ) : !rentals.data ? (
        <Loading />
      ) : rentals.data.length === 0 ? (
        <p className="empty">
          Здесь появятся оплаченные премьеры. <Link to="/">Выбрать премьеру</Link>
        </p>
      ) : (
        <ul className="rentals">
          {rentals.data.map((r) => (
            <RentalCard key={r.id} rental={r} now={now} timeZone={session.timeZone} onCancel={setAsking} onExtend={setExtending} onChange={setChanging} />
          ))}
        </ul>
      )}
      {extending && (
        <ExtendDialog
          rental={extending}
          timeZone={session.timeZone}
          onCancel={() => setExtending(null)}
          onDone={(r, extra) => {
            setExtending(null);
            setNotice(`Аренда «${r.title}» продлена: ${formatMoney(extra)} списано с баланса.`);
            void Promise.all([rentals.reload(), session.refreshCounters()]);
          }}
        />
      )}
      {changing && (
        <ChangeDialog
          rental={changing}
          timeZone={session.timeZone}
          onCancel={() => setChanging(null)}
          onDone={(r, difference) => {
            setChanging(null);
            setNotice(changeNotice(r, difference, session.timeZone));
            void Promise.all([rentals.reload(), session.refreshCounters()]);
          }}
        />
      )}
      {asking && (
        <ConfirmDialog
          title="Отменить аренду?"
          confirmLabel="Отменить аренду"
          cancelLabel="Оставить"
          busy={busy}
          onConfirm={() => void cancel(asking)}
          onCancel={() => setAsking(null)}
        >
          <p>
            «{asking.title}»: {formatMoney(asking.amount)} вернутся на баланс.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
