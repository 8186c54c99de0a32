import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { ApiError } from '@/lib/api-client';
import { useQuery } from '@/lib/use-query';
import type { Rental } from '@/types/api';
import { formatDateTime } from '@/utils/dates';
import { formatMoney } from '@/utils/money';
import { hoursLabel } from '@/utils/periods';
import { extendRental, extensionOptions } from '../api/extend-rental';

// Extend a rental: every longer period with its extra charge shown before the customer confirms.
export function ExtendDialog({ rental, timeZone, onDone, onCancel }: { rental: Rental; timeZone: string; onDone: (r: Rental, extra: number) => void; onCancel: () => void }) {
  const options = useQuery((signal) => extensionOptions(rental, signal), [rental.id]);
  const [period, setPeriod] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const chosen = options.data?.find((o) => o.period === (period ?? options.data?.[0]?.period));

  const confirm = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await extendRental(rental.id, chosen.period), chosen.extra);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const short = error instanceof ApiError && error.status === 402;
  const endsAt = chosen ? new Date(Date.parse(rental.starts_at) + chosen.period * 3600000).toISOString() : null;
  return (
    <ConfirmDialog
      title={`Продлить «${rental.title}»`}
      confirmLabel={chosen ? `Продлить за ${formatMoney(chosen.extra)}` : 'Продлить'}
      cancelLabel="Не продлевать"
      busy={busy}
      confirmDisabled={!chosen}
      onConfirm={() => void confirm()}
      onCancel={onCancel}
    >
      {options.error ? (
        <ErrorMessage error={options.error} onRetry={() => void options.reload()} />
      ) : !options.data ? (
        <Loading label="Считаем цену…" />
      ) : options.data.length === 0 ? (
        <p>Дольше арендовать эту премьеру нельзя: выбран самый длинный срок.</p>
      ) : (
        <fieldset className="periods">
          <legend>Новый срок</legend>
          {options.data.map((o) => (
            <label key={o.period} className={chosen?.period === o.period ? 'chip chip-on' : 'chip'}>
              <input type="radio" name="extend-period" checked={chosen?.period === o.period} onChange={() => setPeriod(o.period)} />
              {hoursLabel(o.period)} — доплата {formatMoney(o.extra)}
            </label>
          ))}
        </fieldset>
      )}
      {chosen && endsAt && <p className="muted">Просмотр будет доступен до {formatDateTime(endsAt, timeZone)}.</p>}
      {short ? (
        <p className="alert alert-error" role="alert">
          {(error as ApiError).detail}. <Link to="/billing">Пополнить баланс</Link>
        </p>
      ) : (
        <ErrorMessage error={error} />
      )}
    </ConfirmDialog>
  );
}
