import { useId, useState, type FormEvent } from 'react';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { fieldError } from '@/lib/api-client';
import { useQuery } from '@/lib/use-query';
import type { TheatrePremiere } from '@/types/api';
import { formatDateTime, fromLocalInput, isLocalInput, toLocalInput } from '@/utils/dates';
import { getTheatrePremieres } from '../api/get-theatre-premieres';
import { removeVoucherTerms, setVoucherTerms } from '../api/voucher-terms';
import { TheatreShows } from './theatre-shows';

// «Премьеры театра»: the theatre's premieres, each with the date its vouchers are valid until — «Сохранить» sets it
// for the rentals paid from then on, «Не выдавать» stops issuing them — and «Показы», its live shows (TheatreShows).
// `theatre`: the theatre an admin chose (staff see their own, which the server knows).
export function PremiereVouchers({ theatre, timeZone }: { theatre?: string; timeZone: string }) {
  const premieres = useQuery((signal) => getTheatrePremieres(theatre, signal), [theatre]);

  const saved = (id: number, validUntil: string | null) =>
    premieres.setData((prev) => prev && { ...prev, items: prev.items.map((p) => (p.id === id ? { ...p, voucher_valid_until: validUntil } : p)) });

  const items = premieres.data?.items;
  return (
    <section aria-labelledby="premiere-vouchers-heading">
      <h2 id="premiere-vouchers-heading">Премьеры театра</h2>
      <p className="muted">
        Оплаченная аренда премьеры с датой ниже приносит зрителю ваучер на сумму онлайн-цены: он засчитывается в билет до этой даты. Время — по часовому поясу{' '}
        {timeZone}. «Показы» — прямые трансляции премьеры: добавить показ с числом мест онлайн или отменить его с возвратом денег купившим.
      </p>
      {premieres.error ? (
        <ErrorMessage error={premieres.error} onRetry={() => void premieres.reload()} />
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="empty">У театра «{premieres.data?.theatre}» нет премьер в каталоге.</p>
      ) : (
        <ul className="theatre-premieres">
          {items.map((p) => (
            <PremiereVoucherRow key={p.id} premiere={p} timeZone={timeZone} onSaved={saved} />
          ))}
        </ul>
      )}
    </section>
  );
}

function PremiereVoucherRow({
  premiere,
  timeZone,
  onSaved,
}: {
  premiere: TheatrePremiere;
  timeZone: string;
  onSaved: (id: number, validUntil: string | null) => void;
}) {
  const id = useId();
  const [value, setValue] = useState(premiere.voucher_valid_until ? toLocalInput(premiere.voucher_valid_until, timeZone) : '');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'save' | 'remove' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const start = () => {
    setError(null);
    setNotice(null);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    start();
    // A hint; the server checks the same (400/422 naming valid_until).
    const found = !isLocalInput(value)
      ? 'Укажите дату и время'
      : Date.parse(fromLocalInput(value, timeZone)) <= Date.now()
        ? 'Это время уже прошло'
        : undefined;
    setProblem(found);
    if (found) return;
    setBusy('save');
    try {
      const terms = await setVoucherTerms(premiere.id, fromLocalInput(value, timeZone));
      onSaved(premiere.id, terms.valid_until);
      setValue(toLocalInput(terms.valid_until, timeZone));
      setNotice(`Сохранено: ваучеры действуют до ${formatDateTime(terms.valid_until, timeZone)}.`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    start();
    setProblem(undefined);
    setBusy('remove');
    try {
      await removeVoucherTerms(premiere.id);
      onSaved(premiere.id, null);
      setValue('');
      setNotice('Ваучеры на эту премьеру больше не выдаются.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const inputId = `${id}-valid-until`;
  const dateError = problem ?? fieldError(error, 'valid_until');
  return (
    <li className="panel theatre-premiere" data-testid="theatre-premiere">
      <h3>{premiere.title}</h3>
      <p className="muted" data-testid="voucher-terms">
        {premiere.voucher_valid_until ? `Ваучеры действуют до ${formatDateTime(premiere.voucher_valid_until, timeZone)}` : 'Ваучеры не выдаются'}
      </p>
      <form onSubmit={save} noValidate aria-label={`Ваучеры «${premiere.title}»`}>
        <div className="row">
          <Field label="Действует до" id={inputId} error={dateError}>
            <input
              id={inputId}
              type="datetime-local"
              value={value}
              onChange={(e) => {
                setValue(e.target.value);
                setProblem(undefined);
                start();
              }}
              required
              {...describedBy(inputId, dateError)}
            />
          </Field>
          <div className="field actions-inline">
            <button type="submit" className="primary" disabled={busy !== null} aria-busy={busy === 'save'}>
              {busy === 'save' ? 'Сохраняем…' : 'Сохранить'}
            </button>
            {premiere.voucher_valid_until && (
              <button type="button" onClick={() => void remove()} disabled={busy !== null} aria-busy={busy === 'remove'}>
                {busy === 'remove' ? 'Отменяем…' : 'Не выдавать'}
              </button>
            )}
          </div>
        </div>
      </form>
      <ErrorMessage error={dateError ? null : error} />
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      <TheatreShows premiereId={premiere.id} timeZone={timeZone} />
    </li>
  );
}
