import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { fieldError } from '@/lib/api-client';
import type { OrderHistoryItem, Refund, Rental } from '@/types/api';
import { formatDateTime } from '@/utils/dates';
import { newIdempotencyKey } from '@/utils/idempotency-key';
import { formatMoney, kopecksToRubles, rublesToKopecks } from '@/utils/money';
import { hoursLabel } from '@/utils/periods';
import { refundOrder } from '../api/refund-order';

export const MIN_REASON = 3;
export const MAX_REASON = 500;

// «Вернуть деньги» on an order of the customer card: the whole order or one of its rentals, an amount in roubles
// (by default what is left to refund: paid − refunded, no more than the chosen rental's price — a hint, the server
// knows better), and a reason the customer will see in «Мои заказы» and in the email. One Idempotency-Key per
// opened form, kept while the same refund is retried and renewed when it changes (the server answers a repeated key
// with the first refund, and refuses it with another body).
export function RefundForm({
  order,
  rentals,
  timeZone,
  onRefunded,
  onCancel,
}: {
  order: OrderHistoryItem;
  rentals: Rental[];
  timeZone: string;
  onRefunded: (refund: Refund) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const remaining = Math.max(0, order.paid - order.refunded);
  const [target, setTarget] = useState(''); // '' is the whole order, else a rental's id
  const [amount, setAmount] = useState(kopecksToRubles(remaining));
  // Until the amount is typed in, it follows the choice of what to refund.
  const [amountTyped, setAmountTyped] = useState(false);
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<{ amount?: string; reason?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const attemptKey = useRef(newIdempotencyKey());
  const firstRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    firstRef.current?.focus();
  }, []);

  const change = (set: (value: string) => void) => (value: string) => {
    attemptKey.current = newIdempotencyKey();
    setError(null);
    set(value);
  };
  const capOf = (choice: string) => {
    const rental = rentals.find((r) => String(r.id) === choice);
    return rental ? Math.min(remaining, rental.amount) : remaining;
  };
  const choose = (choice: string) => {
    change(setTarget)(choice);
    if (!amountTyped) setAmount(kopecksToRubles(capOf(choice)));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const kopecks = rublesToKopecks(amount);
    const text = reason.trim();
    const found = {
      amount: kopecks === null ? 'Сумма в рублях, например 100 или 99,90' : kopecks <= 0 ? 'Сумма должна быть больше нуля' : undefined,
      reason: !text ? 'Напишите причину — её увидит покупатель' : text.length < MIN_REASON ? `Причина — не короче ${MIN_REASON} символов` : undefined,
    };
    setProblems(found);
    if (found.amount || found.reason || kopecks === null) return;
    setBusy(true);
    setError(null);
    try {
      const refund = await refundOrder(order.id, { amount: kopecks, reason: text, ...(target ? { rental_id: Number(target) } : {}) }, attemptKey.current);
      onRefunded(refund);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const targetId = `${id}-target`;
  const amountId = `${id}-amount`;
  const reasonId = `${id}-reason`;
  const targetError = fieldError(error, 'rental_id');
  // A support member's limit (403) and what is left to refund (422) both name the amount.
  const amountError = problems.amount ?? fieldError(error, 'amount');
  const reasonError = problems.reason ?? fieldError(error, 'reason');
  const amountHint = `Оплачено ${formatMoney(order.paid)}${order.refunded > 0 ? `, уже возвращено ${formatMoney(order.refunded)}` : ''}: можно вернуть до ${formatMoney(capOf(target))}`;
  return (
    <form className="panel refund-form" onSubmit={submit} noValidate aria-label="Возврат денег">
      <Field label="Что вернуть" id={targetId} error={targetError}>
        <select id={targetId} ref={firstRef} value={target} onChange={(e) => choose(e.target.value)} {...describedBy(targetId, targetError)}>
          <option value="">Весь заказ</option>
          {rentals.map((r) => (
            <option key={r.id} value={String(r.id)}>
              {`«${r.title}», ${hoursLabel(r.period)} с ${formatDateTime(r.starts_at, timeZone)} — ${formatMoney(r.amount)}`}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Сумма, ₽" id={amountId} error={amountError} hint={amountHint}>
        <input
          id={amountId}
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          onChange={(e) => {
            setAmountTyped(true);
            change(setAmount)(e.target.value);
          }}
          required
          {...describedBy(amountId, amountError, amountHint)}
        />
      </Field>
      <Field label="Причина (её увидит покупатель)" id={reasonId} error={reasonError}>
        <textarea
          id={reasonId}
          rows={3}
          value={reason}
          onChange={(e) => change(setReason)(e.target.value)}
          required
          minLength={MIN_REASON}
          maxLength={MAX_REASON}
          {...describedBy(reasonId, reasonError)}
        />
      </Field>
      <ErrorMessage error={targetError || amountError || reasonError ? null : error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Возвращаем…' : 'Вернуть на баланс'}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Отмена
        </button>
      </div>
    </form>
  );
}
