import { useState, type FormEvent } from 'react';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { fieldError } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import { changePassword } from '../api/account-security';
import { MIN_PASSWORD, passwordProblem } from '../credentials';

export const PASSWORD_CHANGED_HERE = 'Пароль изменён. На других устройствах нужно будет войти заново.';

// «Пароль» on the account page: a new password with the current one. The account's other sessions end, this one
// stays; `onChanged` lets the page show the shorter list of sessions.
export function ChangePasswordForm({ onChanged }: { onChanged?: () => void }) {
  const { user } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [problems, setProblems] = useState<{ current?: string; next?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    const found = { current: current ? undefined : 'Введите текущий пароль', next: passwordProblem(next) };
    setProblems(found);
    if (found.current || found.next) return;
    setBusy(true);
    try {
      await changePassword({ current_password: current, new_password: next });
      setCurrent('');
      setNext('');
      setDone(true);
      onChanged?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const currentError = fieldError(error, 'current_password') ?? problems.current;
  const nextError = fieldError(error, 'new_password') ?? problems.next;
  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">Пароль</h2>
      <form onSubmit={submit} noValidate>
        {/* For password managers: the account whose password this is. */}
        {user && <input type="email" name="username" autoComplete="username" value={user.email} readOnly hidden />}
        <Field label="Текущий пароль" id="current_password" error={currentError}>
          <input
            id="current_password"
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            required
            {...describedBy('current_password', currentError)}
          />
        </Field>
        <Field label={`Новый пароль (не короче ${MIN_PASSWORD} символов)`} id="new_password" error={nextError}>
          <input
            id="new_password"
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            required
            minLength={MIN_PASSWORD}
            {...describedBy('new_password', nextError)}
          />
        </Field>
        <ErrorMessage error={currentError || nextError ? null : error} />
        {done && (
          <p className="success" role="status">
            {PASSWORD_CHANGED_HERE}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Меняем…' : 'Сменить пароль'}
        </button>
      </form>
    </section>
  );
}
