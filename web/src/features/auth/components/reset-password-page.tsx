import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { fieldError } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import { confirmPasswordReset } from '../api/password-reset';
import { MIN_PASSWORD, passwordProblem } from '../credentials';
import { useFragmentToken } from '../fragment-token';

// Shown on «Мои премьеры» after the change (the other sessions of the account have been ended).
export const PASSWORD_CHANGED = 'Пароль изменён. В других браузерах и на других устройствах нужно будет войти заново.';

function RequestNewLink() {
  return <Link to="/forgot-password">Запросить новую ссылку</Link>;
}

export function ResetPasswordPage() {
  const navigate = useNavigate();
  const session = useSession();
  // The token from the emailed link (/reset-password#token=…); the address bar and the history lose it at once.
  const token = useFragmentToken();
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!token) return;
    setError(null);
    const found = passwordProblem(password);
    setProblem(found);
    if (found) return;
    setBusy(true);
    try {
      const r = await confirmPasswordReset({ token, password });
      await session.signedIn(r.user);
      navigate('/rentals', { replace: true, state: { notice: PASSWORD_CHANGED } });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const tokenError = fieldError(error, 'token');
  const passwordError = fieldError(error, 'password') ?? problem;
  return (
    <section className="auth">
      <h1>Новый пароль</h1>
      {!token ? (
        <div className="alert alert-error" role="alert">
          <span>Ссылка неполная: откройте её из письма ещё раз или запросите новую</span>
          <RequestNewLink />
        </div>
      ) : tokenError ? (
        <div className="alert alert-error" role="alert">
          <span>{tokenError}</span>
          <RequestNewLink />
        </div>
      ) : (
        <form onSubmit={submit} className="panel" noValidate>
          <Field label={`Новый пароль (не короче ${MIN_PASSWORD} символов)`} id="password" error={passwordError}>
            <input
              id="password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
              minLength={MIN_PASSWORD}
              {...describedBy('password', passwordError)}
            />
          </Field>
          <ErrorMessage error={passwordError ? null : error} />
          <button type="submit" className="primary big-button" disabled={busy}>
            {busy ? 'Сохраняем…' : 'Сохранить пароль'}
          </button>
        </form>
      )}
    </section>
  );
}
