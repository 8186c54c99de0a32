import { useState, type FormEvent, type ReactNode } from 'react';
import { fieldError } from '@/lib/api-client';
import { rublesToKopecks } from '@/utils/money';
import { describedBy, Field } from './ui/field';
import { ErrorMessage } from './ui/error-message';

// «Пополнить баланс»: an amount in roubles, handed to `onSubmit` in kopecks. The caller asks billing
// for the payment and sends the browser to its confirmation page.
export function TopUpForm({
  initialRubles,
  label,
  onSubmit,
  children,
}: {
  initialRubles: string;
  label: string;
  onSubmit: (kopecks: number) => Promise<void>;
  children?: ReactNode;
}) {
  const [amount, setAmount] = useState(initialRubles);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [invalid, setInvalid] = useState<string | undefined>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const summ = rublesToKopecks(amount);
    if (summ === null || summ <= 0) {
      setInvalid('Введите сумму в рублях, например 500 или 479,20');
      return;
    }
    setInvalid(undefined);
    setError(null);
    setBusy(true);
    try {
      await onSubmit(summ);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const fieldMessage = invalid ?? fieldError(error, 'summ');
  return (
    <form className="panel" onSubmit={submit} aria-label="Пополнить баланс" noValidate>
      <h2>Пополнить баланс</h2>
      {children}
      <Field label={label} id="top-up-amount" error={fieldMessage}>
        <input
          id="top-up-amount"
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          required
          {...describedBy('top-up-amount', fieldMessage)}
        />
      </Field>
      <ErrorMessage error={fieldMessage ? null : error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Переходим к оплате…' : 'Пополнить баланс'}
      </button>
    </form>
  );
}
