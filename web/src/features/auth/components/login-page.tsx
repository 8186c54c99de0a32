import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { fieldError } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import { login } from '../api/login';
import { safeNext } from '../safe-next';

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = params.get('next');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await login({ email: email.trim(), password, remember });
      await session.signedIn(r.user);
      navigate(safeNext(next), { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const emailError = fieldError(error, 'email');
  const passwordError = fieldError(error, 'password');
  return (
    <section className="auth">
      <h1>Вход</h1>
      {next && <p className="muted">Войдите, чтобы продолжить.</p>}
      <form onSubmit={submit} className="panel">
        <Field label="Электронная почта" id="email" error={emailError}>
          <input id="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required {...describedBy('email', emailError)} />
        </Field>
        <Field label="Пароль" id="password" error={passwordError}>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            {...describedBy('password', passwordError)}
          />
        </Field>
        <p className="auth-aside">
          <Link to="/forgot-password">Забыли пароль?</Link>
        </p>
        <label className="checkbox">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> Запомнить меня
        </label>
        <ErrorMessage error={emailError || passwordError ? null : error} />
        <button type="submit" className="primary big-button" disabled={busy}>
          {busy ? 'Входим…' : 'Войти'}
        </button>
      </form>
      <p>
        Нет аккаунта? <Link to={`/register${next ? `?next=${encodeURIComponent(next)}` : ''}`}>Зарегистрироваться</Link>
      </p>
    </section>
  );
}
