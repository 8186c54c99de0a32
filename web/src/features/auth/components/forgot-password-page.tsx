import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { fieldError } from '@/lib/api-client';
import { requestPasswordReset } from '../api/password-reset';
import { emailProblem } from '../credentials';

// What the server says on 202, should its answer carry no detail.
const SENT = 'Если адрес зарегистрирован, мы отправили на него письмо со ссылкой для смены пароля. Ссылка действует 30 минут.';

// «Забыли пароль?»: asks for the emailed link. The answer is the same for a known and an unknown address, so
// the page never tells which addresses have an account.
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const found = emailProblem(email);
    setProblem(found);
    if (found) return;
    setBusy(true);
    try {
      const r = await requestPasswordReset({ email: email.trim() });
      setSent(r?.detail || SENT);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const emailError = fieldError(error, 'email') ?? problem;
  return (
    <section className="auth">
      <h1>Восстановление пароля</h1>
      {/* Present from the start, so that screen readers announce the answer when it appears in it. */}
      <div role="status">
        {sent && (
          <>
            <p className="success">{sent}</p>
            <p>
              <Link to="/login">Вернуться ко входу</Link>
            </p>
          </>
        )}
      </div>
      {!sent && (
        <>
          <p className="muted">Укажите адрес, с которым вы регистрировались, — мы пришлём ссылку для смены пароля.</p>
          <form onSubmit={submit} className="panel" noValidate>
            <Field label="Электронная почта" id="email" error={emailError}>
              <input
                id="email"
                type="email"
                autoComplete="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                required
                {...describedBy('email', emailError)}
              />
            </Field>
            <ErrorMessage error={emailError ? null : error} />
            <button type="submit" className="primary big-button" disabled={busy}>
              {busy ? 'Отправляем…' : 'Отправить ссылку'}
            </button>
          </form>
          <p>
            Вспомнили пароль? <Link to="/login">Войти</Link>
          </p>
        </>
      )}
    </section>
  );
}
