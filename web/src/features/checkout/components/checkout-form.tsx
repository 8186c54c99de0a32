import { useEffect, useRef, useState, type FormEvent } from 'react';
import { getQuote } from '@/api/get-quote';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage, errorText } from '@/components/ui/error-message';
import { fieldError } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import type { Order } from '@/types/api';
import { formatDateTime, toLocalInput } from '@/utils/dates';
import { newIdempotencyKey } from '@/utils/idempotency-key';
import { formatMoney } from '@/utils/money';
import { hoursLabel } from '@/utils/periods';
import { createOrder } from '../api/create-order';
import { checkoutTotal, orderRequest, quoteKey, startProblem, type CheckoutLine } from '../checkout-lines';

// For each cart item: when to start — «Начать сразу» (the window opens when the payment is confirmed)
// or at a chosen time — and for how long; the total follows the quotes of the chosen periods. A seat at a live show
// starts with the show: only its period is chosen.
// Submitting creates the order (POST /orders) under one Idempotency-Key per attempt.
export function CheckoutForm({ initialLines, onOrdered }: { initialLines: CheckoutLine[]; onOrdered: (order: Order) => void }) {
  const { timeZone } = useSession();
  const [lines, setLines] = useState(initialLines);
  const [quotes, setQuotes] = useState<Record<string, number>>({});
  const [quoteErrors, setQuoteErrors] = useState<Record<string, unknown>>({});
  const [checked, setChecked] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const attemptKey = useRef(newIdempotencyKey());

  // Quotes are cached per premiere and period, so switching back to a period costs no request. One
  // controller for the form's lifetime: a quote still wanted is never cancelled by another arriving.
  const controller = useRef<AbortController | null>(null);
  const inFlight = useRef(new Set<string>());
  useEffect(() => {
    const c = new AbortController();
    controller.current = c;
    const pending = inFlight.current; // one Set for the form's lifetime
    return () => {
      c.abort();
      pending.clear();
    };
  }, []);
  useEffect(() => {
    const c = controller.current;
    if (!c) return;
    for (const line of lines) {
      const key = quoteKey(line.premiereId, line.period);
      if (quotes[key] !== undefined || quoteErrors[key] !== undefined || inFlight.current.has(key)) continue;
      inFlight.current.add(key);
      getQuote(line.premiereId, line.period, c.signal)
        .then((q) => setQuotes((prev) => ({ ...prev, [key]: q.total })))
        .catch((e: unknown) => {
          if (!c.signal.aborted) setQuoteErrors((prev) => ({ ...prev, [key]: e }));
        })
        .finally(() => {
          if (!c.signal.aborted) inFlight.current.delete(key);
        });
    }
  }, [lines, quotes, quoteErrors]);

  const total = checkoutTotal(lines, quotes);
  const problems = lines.map((l) => startProblem(l, timeZone));

  const update = (index: number, patch: Partial<CheckoutLine>) => {
    attemptKey.current = newIdempotencyKey();
    setError(null);
    setLines((prev) => prev.map((l, i) => (i === index ? { ...l, ...patch } : l)));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (problems.some(Boolean) || total === null) return;
    setBusy(true);
    setError(null);
    try {
      onOrdered(await createOrder(orderRequest(lines, timeZone), attemptKey.current));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  // The start's lower bound is the current minute at every render (a hint; the server checks the start):
  // reading the clock while rendering is meant here.
  // eslint-disable-next-line react-hooks/purity
  const nowInput = toLocalInput(Date.now(), timeZone);
  return (
    <form onSubmit={submit} noValidate aria-label="Оформление заказа">
      <p className="muted">Время указано по часовому поясу {timeZone}.</p>
      {lines.map((line, i) => {
        const startId = `start-${i}`;
        const periodId = `period-${i}`;
        const startError = fieldError(error, `items[${i}].starts_at`) ?? (checked ? problems[i] : undefined);
        const periodError = fieldError(error, `items[${i}].period`);
        const showError = line.show && (fieldError(error, `items[${i}].show_id`) ?? fieldError(error, `items[${i}].starts_at`));
        const key = quoteKey(line.premiereId, line.period);
        const earliest = toLocalInput(line.from, timeZone);
        // A premiere that cannot be watched yet starts at a chosen time only.
        const opened = earliest <= nowInput;
        return (
          <fieldset key={line.premiereId} className="panel line-form">
            <legend>{line.title}</legend>
            {line.show ? (
              <>
                <p className="muted" data-testid={`live-${i}`}>
                  Прямая трансляция: <time dateTime={line.show.startsAt}>{formatDateTime(line.show.startsAt, timeZone)}</time>. Просмотр начнётся
                  вместе с показом, {hoursLabel(line.period)}.
                </p>
                {showError && (
                  <p className="field-error" id={`show-${i}-error`} role="alert">
                    {showError}
                  </p>
                )}
              </>
            ) : (
              <>
                <fieldset className="periods">
                  <legend>Когда начать</legend>
                  <label className={line.startNow ? 'chip chip-on' : 'chip'}>
                    <input type="radio" name={`when-${i}`} checked={line.startNow} disabled={!opened} onChange={() => update(i, { startNow: true })} />
                    Начать сразу
                  </label>
                  <label className={line.startNow ? 'chip' : 'chip chip-on'}>
                    <input type="radio" name={`when-${i}`} checked={!line.startNow} onChange={() => update(i, { startNow: false })} />
                    Выбрать время
                  </label>
                </fieldset>
                {line.startNow && (
                  <p className="muted" data-testid={`start-now-${i}`}>
                    Смотреть можно сразу после оплаты, {hoursLabel(line.period)}.
                  </p>
                )}
                {line.startNow && startError && (
                  <p className="field-error" id={`${startId}-error`} role="alert">
                    {startError}
                  </p>
                )}
              </>
            )}
            <div className="line-fields">
              {!line.startNow && !line.show && (
                <Field label="Начало просмотра" id={startId} error={startError}>
                  <input
                    id={startId}
                    type="datetime-local"
                    value={line.start}
                    min={earliest > nowInput ? earliest : nowInput}
                    max={toLocalInput(line.until, timeZone)}
                    onChange={(e) => update(i, { start: e.target.value })}
                    required
                    {...describedBy(startId, startError)}
                  />
                </Field>
              )}
              <Field label="Срок" id={periodId} error={periodError}>
                <select id={periodId} value={line.period} onChange={(e) => update(i, { period: Number(e.target.value) })} {...describedBy(periodId, periodError)}>
                  {line.periods.map((h) => (
                    <option key={h} value={h}>
                      {hoursLabel(h)}
                    </option>
                  ))}
                </select>
              </Field>
              <div className="line-quote" data-testid={`line-price-${i}`}>
                {quotes[key] !== undefined ? formatMoney(quotes[key]) : quoteErrors[key] ? errorText(quoteErrors[key]) : '…'}
              </div>
            </div>
          </fieldset>
        );
      })}
      <div className="summary">
        <p className="total" data-testid="checkout-total" aria-live="polite">
          Итого: <b>{total === null ? '…' : formatMoney(total)}</b>
        </p>
        <button type="submit" className="primary big-button" disabled={busy || total === null}>
          {busy ? 'Оформляем…' : 'Продолжить'}
        </button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
