import { useEffect, useRef, type ReactNode } from 'react';

// A question asked in place of the button that raised it (no modal): the group is named by the question, and the
// focus goes to the safe choice.
export function InlineConfirm({
  question,
  confirmLabel,
  busyLabel,
  cancelLabel = 'Отмена',
  busy = false,
  confirmDisabled = false,
  onConfirm,
  onCancel,
  children,
}: {
  question: string;
  confirmLabel: string;
  busyLabel?: string;
  cancelLabel?: string;
  busy?: boolean;
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
}) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancelRef.current?.focus();
  }, []);
  return (
    <div className="hint inline-confirm" role="group" aria-label={question}>
      <span>{question}</span>
      {children}
      <div className="actions">
        <button type="button" className="primary" onClick={onConfirm} disabled={busy || confirmDisabled} aria-busy={busy}>
          {busy && busyLabel ? busyLabel : confirmLabel}
        </button>
        <button type="button" ref={cancelRef} onClick={onCancel} disabled={busy}>
          {cancelLabel}
        </button>
      </div>
    </div>
  );
}
