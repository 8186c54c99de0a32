import { useState } from 'react';
import { sendEmailVerification } from '@/api/send-email-verification';
import { errorText } from './ui/error-message';

// What the store says on 202, should its answer carry no detail.
export const VERIFICATION_SENT = 'Письмо отправлено. Откройте ссылку из него, чтобы подтвердить адрес.';

// «Отправить письмо ещё раз»: asks for the confirmation email again. The answer — sent, or the problem's detail
// (confirmed already, asked too often) — goes into a polite live region that is there from the start, so screen
// readers announce it without taking the focus away.
export function ResendVerification() {
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{ text: string; ok: boolean } | null>(null);

  const send = async () => {
    setBusy(true);
    setAnswer(null);
    try {
      const r = await sendEmailVerification();
      setAnswer({ text: r?.detail || VERIFICATION_SENT, ok: true });
    } catch (e) {
      setAnswer({ text: errorText(e), ok: false });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="resend">
      <button type="button" className="button-small" disabled={busy} onClick={() => void send()}>
        {busy ? 'Отправляем…' : 'Отправить письмо ещё раз'}
      </button>
      <p role="status" className={answer && !answer.ok ? 'resend-answer resend-problem' : 'resend-answer'}>
        {answer?.text}
      </p>
    </div>
  );
}
