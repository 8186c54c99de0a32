import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorMessage } from '@/components/ui/error-message';
import { describedBy, Field } from '@/components/ui/field';
import { Loading } from '@/components/ui/loading';
import { ApiError, fieldError } from '@/lib/api-client';
import { useQuery } from '@/lib/use-query';
import type { Rental } from '@/types/api';
import { formatDateTime, toLocalInput } from '@/utils/dates';
import { formatMoney } from '@/utils/money';
import { hoursLabel } from '@/utils/periods';
import { changeOptions, changeRental } from '../api/change-rental';
import { changeConfirmLabel, changedWindow, changeRequest, changeStartProblem, differenceText, earliestStart } from '../rental-change';

// Change an upcoming rental: move its start inside the premiere's reservation window and/or choose another
// period, each period showing the money it moves (charged or refunded) before the customer confirms. A seat on a
// live show (ADR 0027) starts with the show: only its period can change.
// onDone gets the changed rental and what actually moved (its new amount minus what was paid).
export function ChangeDialog({
  rental,
  timeZone,
  onDone,
  onCancel,
}: {
  rental: Rental;
  timeZone: string;
  onDone: (r: Rental, difference: number) => void;
  onCancel: () => void;
}) {
  const options = useQuery((signal) => changeOptions(rental, signal), [rental.id]);
  const [start, setStart] = useState(() => toLocalInput(rental.starts_at, timeZone));
  const [period, setPeriod] = useState(rental.period);
  // The field's lower bound is a hint fixed when the dialog opens; the check on confirm reads the clock again.
  const [openedAt] = useState(() => Date.now());
  const [checked, setChecked] = useState(false);
  const [startProblem, setStartProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const live = rental.show_id !== null && rental.show_id !== undefined;
  const reservation = options.data?.reservation;
  const chosen = options.data?.options.find((o) => o.period === period);
  const change = changeRequest(rental, start, period, timeZone);
  const changed = change.period !== undefined || change.starts_at !== undefined;
  const difference = change.period !== undefined ? (chosen?.difference ?? 0) : 0;
  const span = changedWindow(rental, start, period, timeZone);

  const problemOf = (value: string) =>
    reservation && value !== toLocalInput(rental.starts_at, timeZone) ? changeStartProblem(value, reservation, timeZone, Date.now()) : undefined;

  const changeStart = (value: string) => {
    setStart(value);
    setError(null);
    // After a refused confirm the message follows the field; before, it waits for the confirm.
    setStartProblem(checked ? problemOf(value) : undefined);
  };

  const confirm = async () => {
    if (!changed || !options.data) return;
    setChecked(true);
    const problem = problemOf(start);
    setStartProblem(problem);
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await changeRental(rental.id, change);
      onDone(updated, updated.amount - rental.amount);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const startError = startProblem ?? fieldError(error, 'starts_at');
  const periodError = fieldError(error, 'period');
  const namedField = fieldError(error, 'starts_at') !== undefined || periodError !== undefined;
  const short = error instanceof ApiError && error.status === 402;
  const shortfall = short && typeof error.body.shortfall === 'number' ? error.body.shortfall : null;
  return (
    <ConfirmDialog
      title={`Изменить «${rental.title}»`}
      confirmLabel={changeConfirmLabel(difference)}
      cancelLabel="Не менять"
      busy={busy}
      confirmDisabled={!changed || !options.data}
      onConfirm={() => void confirm()}
      onCancel={onCancel}
    >
      {options.error ? (
        <ErrorMessage error={options.error} onRetry={() => void options.reload()} />
      ) : !options.data || !reservation ? (
        <Loading label="Считаем цену…" />
      ) : (
        <>
          {live ? (
            <p data-testid="change-live">
              Прямая трансляция: просмотр начинается вместе с показом, {formatDateTime(rental.starts_at, timeZone)}. Время начала не
              меняется.
            </p>
          ) : (
            <Field label="Начало просмотра" id="change-start" error={startError}>
              <input
                id="change-start"
                type="datetime-local"
                value={start}
                min={toLocalInput(earliestStart(reservation.from, openedAt), timeZone)}
                max={toLocalInput(reservation.until, timeZone)}
                onChange={(e) => changeStart(e.target.value)}
                required
                {...describedBy('change-start', startError)}
              />
            </Field>
          )}
          <fieldset className="periods" aria-describedby={periodError ? 'change-period-error' : undefined}>
            <legend>Срок</legend>
            {options.data.options.map((o) => (
              <label key={o.period} className={period === o.period ? 'chip chip-on' : 'chip'}>
                <input
                  type="radio"
                  name="change-period"
                  checked={period === o.period}
                  onChange={() => {
                    setPeriod(o.period);
                    setError(null);
                  }}
                />
                {hoursLabel(o.period)} — {differenceText(o.difference)}
                {o.current && ' (текущий)'}
              </label>
            ))}
          </fieldset>
          {periodError && (
            <p className="field-error" id="change-period-error" role="alert">
              {periodError}
            </p>
          )}
          {span && (
            <p className="muted" data-testid="change-window">
              Просмотр будет доступен с {formatDateTime(span.starts_at, timeZone)} до {formatDateTime(span.ends_at, timeZone)}.
            </p>
          )}
        </>
      )}
      {short ? (
        <p className="alert alert-error" role="alert">
          {shortfall !== null ? `На балансе не хватает ${formatMoney(shortfall)}.` : `${(error as ApiError).detail}.`}{' '}
          <Link to="/billing">Пополнить баланс</Link>
        </p>
      ) : (
        // A problem naming a field is shown next to it; anything else under the form.
        !namedField && <ErrorMessage error={error} />
      )}
    </ConfirmDialog>
  );
}
