import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { ResendVerification } from '@/components/resend-verification';
import { errorText } from '@/components/ui/error-message';
import { fieldError } from '@/lib/api-client';
import { emailVerified, useSession } from '@/lib/session';
import { verifyEmail, type EmailConfirmed } from '../api/verify-email';
import { useFragmentToken } from '../fragment-token';

export const EMAIL_CONFIRMED = 'Адрес почты подтверждён';
export const emailChangedTo = (email: string) => `Адрес почты изменён на ${email}`;
export const LINK_INCOMPLETE = 'Ссылка неполная: откройте её из письма ещё раз';

// What to do once the link has not worked: a new email for a signed-in customer whose address is still unconfirmed;
// the account page for one whose address is confirmed (a change of address starts again there); signing in first
// for a visitor.
function NextStep() {
  const { user, loading } = useSession();
  if (loading) return null;
  if (!user) {
    return (
      <p>
        <Link to={`/login?next=${encodeURIComponent('/account')}`}>Войдите</Link>, чтобы получить новое письмо.
      </p>
    );
  }
  if (!emailVerified(user)) return <ResendVerification />;
  return (
    <p>
      Адрес {user.email} уже подтверждён. Чтобы сменить его, начните заново в <Link to="/account">профиле</Link>.
    </p>
  );
}

// The page the confirmation email links to (/verify-email#token=…): the token leaves the address bar at once and is
// posted once (a link is spent by its first use). Then the session is refreshed — the banner «Подтвердите адрес
// почты» goes, and after a change of address the header shows the new one — before the page says it is done.
export function VerifyEmailPage() {
  const { user, refresh } = useSession();
  const token = useFragmentToken();
  const [confirmed, setConfirmed] = useState<EmailConfirmed | null>(null);
  const [error, setError] = useState<unknown>(null);
  const posted = useRef(false);

  useEffect(() => {
    // Once, though StrictMode runs effects twice (the ref outlives that); nothing is cancelled on unmount, as the
    // server may have spent the link already.
    if (!token || posted.current) return;
    posted.current = true;
    verifyEmail(token).then(
      async (r) => {
        await refresh();
        setConfirmed(r);
      },
      (e: unknown) => setError(e),
    );
  }, [token, refresh]);

  const title = confirmed && (confirmed.changed ? emailChangedTo(confirmed.email) : EMAIL_CONFIRMED);
  const detail = confirmed?.detail && confirmed.detail !== title ? confirmed.detail : null;
  const refused = error !== null;
  return (
    <section className="auth verify-email">
      <h1>Подтверждение почты</h1>
      {/* Present from the start, so that screen readers announce the outcome when it appears in it. */}
      <div role="status">
        {token && !confirmed && !refused && (
          <p className="loading">
            <span className="spinner" aria-hidden="true" />
            Проверяем ссылку…
          </p>
        )}
        {confirmed && (
          <>
            <p className="success">
              <strong>{title}</strong>
              {detail && (
                <>
                  <br />
                  {detail}
                </>
              )}
            </p>
            <p>{user ? <Link to="/account">Перейти в профиль</Link> : <Link to="/login">Войти в магазин</Link>}</p>
          </>
        )}
      </div>
      {(!token || refused) && (
        <>
          <div className="alert alert-error" role="alert">
            <span>{!token ? LINK_INCOMPLETE : (fieldError(error, 'token') ?? errorText(error))}</span>
          </div>
          <NextStep />
        </>
      )}
    </section>
  );
}
