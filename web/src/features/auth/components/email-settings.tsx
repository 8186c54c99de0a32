import { useState, type FormEvent } from 'react';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { fieldError } from '@/lib/api-client';
import { emailVerified, useSession } from '@/lib/session';
import { changeEmail } from '../api/change-email';
import { emailProblem } from '../credentials';

// What the store says on 202, should its answer carry no detail.
export const emailChangeSent = (email: string) => `Мы отправили письмо на ${email}; адрес изменится, когда вы откроете ссылку из него.`;

// «Адрес почты» on the account page: the address and whether it is confirmed, and «Изменить адрес» — a new address
// with the account's password. Nothing changes until the link sent to the new address is opened (/verify-email).
export function EmailSettings() {
  const user = useSession().user!;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<{ email?: string; password?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const verified = emailVerified(user);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSent(null);
    const address = email.trim();
    const found = {
      email: emailProblem(address) ?? (address.toLowerCase() === user.email.toLowerCase() ? 'Это ваш текущий адрес' : undefined),
      password: password ? undefined : 'Введите пароль',
    };
    setProblems(found);
    if (found.email || found.password) return;
    setBusy(true);
    try {
      const r = await changeEmail({ email: address, password });
      setEmail('');
      setPassword('');
      setSent(r?.detail || emailChangeSent(address));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const emailError = fieldError(error, 'email') ?? problems.email;
  const passwordError = fieldError(error, 'password') ?? problems.password;
  return (
    <section className="panel email-settings" aria-labelledby="email-heading">
      <h2 id="email-heading">Адрес почты</h2>
      <p className="email-current">
        Текущий адрес: <b>{user.email}</b>,{' '}
        <span className={verified ? 'status status-verified' : 'status status-unverified'}>{verified ? 'подтверждён' : 'не подтверждён'}</span>
      </p>
      {!verified && <p className="muted">Откройте ссылку из письма, которое мы отправили на этот адрес.</p>}
      <form onSubmit={submit} noValidate aria-labelledby="email-change-heading">
        <h3 id="email-change-heading">Изменить адрес</h3>
        {/* For password managers: the account whose password this is. */}
        <input type="email" name="username" autoComplete="username" value={user.email} readOnly hidden />
        <Field label="Новый адрес почты" id="new_email" error={emailError}>
          <input
            id="new_email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            {...describedBy('new_email', emailError)}
          />
        </Field>
        {/* Not «Текущий пароль»: that is the password form's field, below. */}
        <Field label="Пароль от аккаунта" id="email_password" error={passwordError}>
          <input
            id="email_password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            {...describedBy('email_password', passwordError)}
          />
        </Field>
        <ErrorMessage error={emailError || passwordError ? null : error} />
        {/* Present from the start, so that screen readers announce the answer when it appears in it. */}
        <div role="status">{sent && <p className="success">{sent}</p>}</div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Отправляем…' : 'Изменить адрес'}
        </button>
      </form>
    </section>
  );
}
