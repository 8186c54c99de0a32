import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorMessage } from '@/components/ui/error-message';
import { unsubscribeFromReminders } from '../api/unsubscribe';

// The page a reminder email links to («Отписаться»): one button, no sign-in (the link is signed). Receipts and
// account notices keep coming; reminders stay in «Уведомления».
export function UnsubscribePage() {
  const [params] = useSearchParams();
  const user = params.get('u') ?? '';
  const token = params.get('t') ?? '';
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      setDone((await unsubscribeFromReminders(user, token)).detail);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="auth">
      <h1>Отписка от напоминаний</h1>
      <div role="status">{done && <p className="success">{done}</p>}</div>
      {!user || !token ? (
        <p className="alert alert-error" role="alert">
          Ссылка неполная: откройте её из письма ещё раз.
        </p>
      ) : (
        !done && (
          <div className="panel">
            <p>Письма и SMS «Показ начался» и «Скоро закончится аренда» больше не будут приходить. Чеки и письма об аккаунте придут как раньше, а напоминания останутся в разделе «Уведомления».</p>
            <ErrorMessage error={error} />
            <button type="button" className="primary" disabled={busy} onClick={() => void confirm()}>
              {busy ? 'Отписываем…' : 'Отписаться'}
            </button>
          </div>
        )
      )}
      <p>
        <Link to="/notifications">Настроить уведомления</Link>
      </p>
    </section>
  );
}
