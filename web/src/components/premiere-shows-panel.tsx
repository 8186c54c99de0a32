import { useId, useState, type FormEvent } from 'react';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { InlineConfirm } from '@/components/ui/inline-confirm';
import { Loading } from '@/components/ui/loading';
import { ApiError, fieldError } from '@/lib/api-client';
import { useQuery } from '@/lib/use-query';
import type { AdminShow, ShowsApi } from '@/types/api';
import { formatDateTime, fromLocalInput, isLocalInput } from '@/utils/dates';
import { cancellationLabel } from '@/utils/shows';

const MAX_CAPACITY = 100_000;


// Why a new show cannot be added, field by field (the service checks the same; this only saves a round trip).
function showProblems(start: string, capacity: string, timeZone: string, now: number): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!isLocalInput(start)) problems.starts_at = 'Укажите дату и время начала';
  else if (Date.parse(fromLocalInput(start, timeZone)) <= now) problems.starts_at = 'Это время уже прошло';
  const seats = /^\d+$/.test(capacity.trim()) ? Number(capacity.trim()) : NaN;
  if (!(seats >= 1 && seats <= MAX_CAPACITY)) problems.capacity = 'Целое число от 1 до 100 000';
  return problems;
}

// «Показы» of an existing premiere (ADR 0027) — its live shows with the seats taken, a form to add one, and
// «Отменить показ» (after an inline question), which refunds every buyer in full. `refreshKey` asks the list again
// (saving the premiere's «Прямая трансляция» creates or moves the show at that time).
// Shared by the admin's premiere editor (a panel of its own) and «Касса театра» (inside the premiere's panel: a lower
// `headingLevel` and its own `className`); `api` is the caller's endpoints. The ids are the instance's own, so several
// premieres' shows may be open on one page.
export function PremiereShowsPanel({
  premiereId,
  timeZone,
  refreshKey = 0,
  api,
  headingLevel = 2,
  className = 'panel admin-shows',
}: {
  premiereId: number;
  timeZone: string;
  refreshKey?: number;
  api: ShowsApi;
  headingLevel?: 2 | 3 | 4;
  className?: string;
}) {
  const headingId = useId();
  const startId = `${headingId}-starts_at`;
  const capacityId = `${headingId}-capacity`;
  const shows = useQuery((signal) => api.list(premiereId, signal), [api, premiereId, refreshKey]);
  const [start, setStart] = useState('');
  const [capacity, setCapacity] = useState('');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [addError, setAddError] = useState<unknown>(null);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [now] = useState(() => Date.now());

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const problems = showProblems(start, capacity, timeZone, Date.now());
    setClientErrors(problems);
    setAddError(null);
    setNotice(null);
    if (Object.keys(problems).length > 0) return;
    setAdding(true);
    try {
      const show = await api.create(premiereId, { starts_at: fromLocalInput(start, timeZone), capacity: Number(capacity.trim()) });
      setStart('');
      setCapacity('');
      setNotice(`Показ добавлен: ${formatDateTime(show.starts_at, timeZone)}, мест: ${show.capacity}.`);
      await shows.reload();
    } catch (err) {
      setAddError(err);
    } finally {
      setAdding(false);
    }
  };

  const cancelled = (what: string) => {
    setNotice(what);
    void shows.reload();
  };

  const startError = clientErrors.starts_at ?? fieldError(addError, 'starts_at');
  const capacityError = clientErrors.capacity ?? fieldError(addError, 'capacity');
  const named = fieldError(addError, 'starts_at') !== undefined || fieldError(addError, 'capacity') !== undefined;
  const items = shows.data;
  const Heading = `h${headingLevel}` as const;
  return (
    <section className={className} aria-labelledby={headingId}>
      <Heading id={headingId}>Показы</Heading>
      <p className="muted">Прямые трансляции с местами онлайн: места считаются по каждому показу и не продаются сверх числа мест.</p>
      {shows.error ? (
        <ErrorMessage error={shows.error} onRetry={() => void shows.reload()} />
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="muted">Показов пока нет.</p>
      ) : (
        <ul className="shows">
          {items.map((show) => (
            <ShowRow
              key={show.id}
              show={show}
              timeZone={timeZone}
              now={now}
              cancelShow={api.cancel}
              onCancelled={cancelled}
              onStale={() => void shows.reload()}
            />
          ))}
        </ul>
      )}
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      <form className="row show-form" onSubmit={add} aria-label="Новый показ" noValidate>
        <Field label="Начало показа" id={startId} error={startError}>
          <input
            id={startId}
            type="datetime-local"
            value={start}
            onChange={(e) => setStart(e.target.value)}
            required
            {...describedBy(startId, startError)}
          />
        </Field>
        <Field label="Мест онлайн" id={capacityId} error={capacityError}>
          <input
            id={capacityId}
            inputMode="numeric"
            value={capacity}
            onChange={(e) => setCapacity(e.target.value)}
            required
            {...describedBy(capacityId, capacityError)}
          />
        </Field>
        <button type="submit" className="primary" disabled={adding} aria-busy={adding}>
          {adding ? 'Добавляем…' : 'Добавить показ'}
        </button>
      </form>
      {!named && <ErrorMessage error={addError} />}
    </section>
  );
}

// onStale: the show changed elsewhere (cancelled already): the list is asked again.
function ShowRow({
  show,
  timeZone,
  now,
  cancelShow,
  onCancelled,
  onStale,
}: {
  show: AdminShow;
  timeZone: string;
  now: number;
  cancelShow: ShowsApi['cancel'];
  onCancelled: (what: string) => void;
  onStale: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await cancelShow(show.id);
      setConfirming(false);
      onCancelled(`${cancellationLabel(r.refunded, r.pending)} (показ ${formatDateTime(show.starts_at, timeZone)}).`);
    } catch (e) {
      setError(e);
      setConfirming(false);
      if (e instanceof ApiError && e.status === 409) onStale();
    } finally {
      setBusy(false);
    }
  };

  const past = Date.parse(show.starts_at) <= now;
  const state = show.cancelled_at ? `Отменён ${formatDateTime(show.cancelled_at, timeZone)}` : past ? 'Прошёл' : 'В продаже';
  return (
    <li className={show.cancelled_at ? 'show show-cancelled' : 'show'} data-testid="admin-show">
      <time dateTime={show.starts_at} className="show-time">
        {formatDateTime(show.starts_at, timeZone)}
      </time>
      <span className="show-seats">
        Занято мест: {show.seats_taken} из {show.capacity}
      </span>
      <span className="show-state">{state}</span>
      <ErrorMessage error={error} />
      {!show.cancelled_at &&
        !past &&
        (confirming ? (
          <InlineConfirm
            question="Отменить показ? Все купившие места получат деньги обратно и письмо."
            confirmLabel="Да, отменить показ"
            busyLabel="Отменяем…"
            cancelLabel="Не отменять"
            busy={busy}
            onConfirm={() => void cancel()}
            onCancel={() => setConfirming(false)}
          />
        ) : (
          <button
            type="button"
            className="danger"
            onClick={() => {
              setError(null);
              setConfirming(true);
            }}
          >
            Отменить показ
          </button>
        ))}
    </li>
  );
}
