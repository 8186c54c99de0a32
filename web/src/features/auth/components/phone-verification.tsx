import { useState, type FormEvent } from 'react';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { ApiError, fieldError } from '@/lib/api-client';
import { phoneVerified, useSession } from '@/lib/session';
import { confirmPhone, sendPhoneCode } from '../api/phone-verification';

// What the store says on 202, should its answer carry no detail.
export const PHONE_CODE_SENT = 'Мы отправили код по SMS. Он действует 10 минут.';
export const PHONE_CONFIRMED = 'Номер подтверждён. Теперь уведомления можно получать по SMS.';

// The check the browser makes before asking the server (which answers 400 naming `code` otherwise).
export function phoneCodeProblem(code: string): string | undefined {
  return /^\d{6}$/.test(code) ? undefined : 'Введите шесть цифр из SMS';
}

// «Подтверждение номера» on the account page, while the account's number is not confirmed: «Получить код по SMS»
// sends a six-digit code to it, and the code typed in confirms it (SMS notifications can be switched on only then).
// The page keys it by the number, so a number saved in the profile starts it afresh.
export function PhoneVerification() {
  const session = useSession();
  const user = session.user!;
  // The store's answer to the last code sent; the code form shows from then on.
  const [sent, setSent] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [sendError, setSendError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  // Confirmed here (or found confirmed already): the section stays to say so.
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState<'send' | 'confirm' | null>(null);

  if (!user.phone || (phoneVerified(user) && !done)) return null;

  // 409: the number was confirmed meanwhile (another tab): the session learns it, and the page says so.
  const confirmedElsewhere = (err: unknown) => {
    if (!(err instanceof ApiError) || err.status !== 409) return false;
    setDone(true);
    void session.refresh();
    return true;
  };

  const send = async () => {
    setBusy('send');
    setSendError(null);
    setError(null);
    setProblem(undefined);
    try {
      const r = await sendPhoneCode();
      setCode('');
      setSent(r?.detail || PHONE_CODE_SENT);
    } catch (err) {
      if (!confirmedElsewhere(err)) setSendError(err);
    } finally {
      setBusy(null);
    }
  };

  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSendError(null);
    const typed = code.replace(/\s/g, '');
    const found = phoneCodeProblem(typed);
    setProblem(found);
    if (found) return;
    setBusy('confirm');
    try {
      session.updateUser(await confirmPhone(typed));
      setCode('');
      setDone(true);
    } catch (err) {
      if (!confirmedElsewhere(err)) setError(err);
    } finally {
      setBusy(null);
    }
  };

  const codeError = fieldError(error, 'code') ?? problem;
  return (
    <section className="panel phone-verification" aria-labelledby="phone-verification-heading">
      <h2 id="phone-verification-heading">Подтверждение номера</h2>
      {!done && (
        <p>
          Чтобы получать уведомления по SMS, подтвердите номер <b>{user.phone}</b>: мы пришлём на него код из шести цифр.
        </p>
      )}
      {/* Present from the start, so that screen readers announce the answer when it appears in it. */}
      <div role="status">{(done || sent) && <p className="success">{done ? PHONE_CONFIRMED : sent}</p>}</div>
      {!done && sent && (
        <form onSubmit={confirm} noValidate>
          <Field label="Код из SMS" id="phone_code" error={codeError}>
            <input
              id="phone_code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              required
              // The field appears when the customer asks for the code: the cursor goes straight into it.
              autoFocus
              {...describedBy('phone_code', codeError)}
            />
          </Field>
          <ErrorMessage error={codeError ? null : error} />
          <button type="submit" className="primary" disabled={busy !== null}>
            {busy === 'confirm' ? 'Проверяем…' : 'Подтвердить'}
          </button>
        </form>
      )}
      {!done && (
        <div className="phone-send">
          <ErrorMessage error={sendError} />
          <button type="button" className={sent ? 'button-ghost' : 'primary'} disabled={busy !== null} onClick={() => void send()}>
            {busy === 'send' ? 'Отправляем…' : sent ? 'Отправить код ещё раз' : 'Получить код по SMS'}
          </button>
        </div>
      )}
    </section>
  );
}
