import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import type { HistoryItem } from '@/lib/types';
import { ErrorMessage, Field, Loading } from '@/components/ui';
import { formatDateTime, formatMoney, rublesToKopecks } from '@/utils/format';

const TYPES: Record<HistoryItem['type'], string> = { top_up: 'Пополнение', withdraw: 'Оплата премьеры', refund: 'Возврат' };

export function BillingPage() {
  const session = useSession();
  const [history, setHistory] = useState<HistoryItem[] | null>(null);
  const [amount, setAmount] = useState('500');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void session.refreshCounters();
    api<{ items: HistoryItem[] }>('GET', '/billing/history')
      .then((r) => setHistory(r.items))
      .catch(setError);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const fill = async (e: FormEvent) => {
    e.preventDefault();
    const summ = rublesToKopecks(amount);
    if (summ === null || summ <= 0) {
      setError(new ApiError(400, { detail: 'Введите сумму в рублях', errors: [{ field: 'summ', message: 'Введите сумму в рублях' }] }));
      return;
    }
    setBusy(true);
    try {
      const r = await api<{ confirmation_url: string }>('POST', '/billing/fill', { body: { summ, return_url: '/billing' } });
      window.location.assign(r.confirmation_url);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>Баланс</h1>
      <p className="big">{session.balance === null ? '—' : formatMoney(session.balance)}</p>
      <form className="panel" onSubmit={fill} aria-label="Пополнить баланс">
        <h2>Пополнить баланс</h2>
        <Field label="Сумма, ₽" id="amount" error={error instanceof ApiError ? error.fieldError('summ') : undefined}>
          <input id="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required />
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          Пополнить баланс
        </button>
      </form>
      <ErrorMessage error={error} />
      <h2>История</h2>
      {!history ? (
        <Loading />
      ) : history.length === 0 ? (
        <p className="muted">Операций пока нет.</p>
      ) : (
        <table className="history">
          <thead>
            <tr>
              <th>Дата</th>
              <th>Операция</th>
              <th>Сумма</th>
              <th>Баланс после</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.id}>
                <td>{formatDateTime(h.created_at, session.timeZone)}</td>
                <td>{TYPES[h.type]}</td>
                <td>{(h.type === 'withdraw' ? '−' : '+') + formatMoney(h.amount)}</td>
                <td>{formatMoney(h.balance_after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
