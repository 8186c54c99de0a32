import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { describedBy, Field } from '@/components/ui/field';
import { errorText } from '@/components/ui/error-message';
import { fieldError } from '@/lib/api-client';
import { reportProblem } from '../api/report-problem';

export const MAX_PROBLEM_TEXT = 1000;

// «Сообщить о проблеме» under the player (ADR 0026): an inline form with the customer's words, sent with the stream
// being watched (the store then sees what that stream recorded). The store's thanks replaces it once sent; a report
// refused (one is open already, the rental cannot have one) says why.
export function ProblemReport({ rentalId, session }: { rentalId: string; session: string }) {
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  // «Отмена» gives the focus back to the button that opened the form.
  const refocus = useRef(false);

  useEffect(() => {
    if (!open && refocus.current) {
      refocus.current = false;
      buttonRef.current?.focus();
    }
  }, [open]);

  if (sent)
    return (
      <p className="success problem-report" role="status" data-testid="problem-reported">
        {sent}
      </p>
    );
  if (open)
    return (
      <ProblemForm
        rentalId={rentalId}
        session={session}
        onSent={setSent}
        onCancel={() => {
          refocus.current = true;
          setOpen(false);
        }}
      />
    );
  return (
    <p className="problem-report">
      <button type="button" ref={buttonRef} className="button-small" data-testid="report-problem" onClick={() => setOpen(true)}>
        Сообщить о проблеме
      </button>
    </p>
  );
}

function ProblemForm({
  rentalId,
  session,
  onSent,
  onCancel,
}: {
  rentalId: string;
  session: string;
  onSent: (detail: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    textRef.current?.focus();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const words = text.trim();
    const found = !words ? 'Напишите, что случилось' : words.length > MAX_PROBLEM_TEXT ? `Не длиннее ${MAX_PROBLEM_TEXT} символов` : undefined;
    setProblem(found);
    if (found) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await reportProblem(rentalId, { text: words, ...(session ? { session } : {}) });
      onSent(answer.detail);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const textId = `${id}-text`;
  const hint = 'Например: видео не загружается, нет звука, картинка останавливается.';
  const textError = problem ?? fieldError(error, 'text');
  // The stream is not the customer's to fix: its refusal (400, 422) is said below the form, as anything else is.
  const otherError = textError || !error ? undefined : (fieldError(error, 'session') ?? errorText(error));
  return (
    <form className="panel problem-form" onSubmit={submit} noValidate aria-label="Сообщение о проблеме">
      <Field label="Что случилось?" id={textId} error={textError} hint={hint}>
        <textarea
          id={textId}
          ref={textRef}
          rows={4}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
          required
          maxLength={MAX_PROBLEM_TEXT}
          {...describedBy(textId, textError, hint)}
        />
      </Field>
      {otherError && (
        <p className="alert alert-error" role="alert">
          {otherError}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Отправляем…' : 'Отправить'}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Отмена
        </button>
      </div>
    </form>
  );
}
