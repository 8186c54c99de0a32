import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { fieldError } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import { useQuery } from '@/lib/use-query';
import { formatMoney } from '@/utils/money';
import { deleteAccount, getBalanceBeforeDeletion } from '../api/personal-data';

// «Удалить аккаунт»: the button opens the form below it, which says what deleting means, asks for the password and
// a tick that the customer understands it cannot be undone.
export function DeleteAccount() {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button type="button" ref={buttonRef} aria-expanded={open} aria-controls="delete-account" onClick={() => setOpen((o) => !o)}>
        Удалить аккаунт
      </button>
      {open && (
        <DeleteAccountForm
          onCancel={() => {
            setOpen(false);
            buttonRef.current?.focus();
          }}
        />
      )}
    </>
  );
}

// On 204 every session of the account has ended (this one's cookie is cleared): on to /account-deleted, which asks for
// the session again once it is shown (so the SPA forgets the customer there, not on this page behind RequireAuth).
function DeleteAccountForm({ onCancel }: { onCancel: () => void }) {
  const { user } = useSession();
  const navigate = useNavigate();
  const balance = useQuery((signal) => getBalanceBeforeDeletion(signal), []);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [password, setPassword] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  // Opened: the focus goes to the form's heading, so that what follows is read from the start.
  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!understood) return;
    setError(null);
    setProblem(password ? undefined : 'Введите пароль');
    if (!password) return;
    setBusy(true);
    try {
      await deleteAccount({ password });
    } catch (err) {
      setError(err);
      setBusy(false);
      return;
    }
    navigate('/account-deleted', { replace: true });
  };

  const passwordError = fieldError(error, 'password') ?? problem;
  const amount = balance.data?.amount;
  return (
    <form id="delete-account" className="delete-account" onSubmit={submit} noValidate aria-labelledby="delete-account-heading">
      <h3 id="delete-account-heading" ref={headingRef} tabIndex={-1}>
        Удаление аккаунта
      </h3>
      <p>Что произойдёт:</p>
      <ul>
        <li>Все сеансы входа завершатся — на этом и на других устройствах.</li>
        <li>Аренды, которые ещё не закончились, прекратятся без возврата денег.</li>
        <li data-testid="delete-balance">
          {amount === undefined ? (
            'Деньги на балансе не возвращаются автоматически: чтобы получить их, напишите в службу поддержки до удаления аккаунта.'
          ) : amount > 0 ? (
            <>
              На балансе остаётся <b>{formatMoney(amount)}</b>. Эти деньги не возвращаются автоматически: чтобы получить их, напишите
              в службу поддержки до удаления аккаунта.
            </>
          ) : (
            <>
              На балансе <b>{formatMoney(0)}</b> — возвращать нечего.
            </>
          )}
        </li>
        <li>
          Заказы, платежи и чеки останутся в бухгалтерском учёте магазина на 5 лет, как требует закон, — без вашего имени, почты и
          телефона.
        </li>
        <li>С этим адресом почты можно будет зарегистрировать новый аккаунт.</li>
      </ul>
      {/* For password managers: the account whose password this is. */}
      {user && <input type="email" name="username" autoComplete="username" value={user.email} readOnly hidden />}
      <Field label="Пароль" id="delete_password" error={passwordError}>
        <input
          id="delete_password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          {...describedBy('delete_password', passwordError)}
        />
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} /> Я понимаю, что удаление
        нельзя отменить
      </label>
      <ErrorMessage error={passwordError ? null : error} />
      <div className="actions">
        <button type="submit" className="danger" disabled={!understood || busy}>
          {busy ? 'Удаляем…' : 'Удалить аккаунт навсегда'}
        </button>
        <button type="button" className="button-ghost" onClick={onCancel} disabled={busy}>
          Не удалять
        </button>
      </div>
    </form>
  );
}
