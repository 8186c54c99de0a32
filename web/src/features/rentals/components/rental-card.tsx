import { Link } from 'react-router-dom';
import type { Rental, Voucher } from '@/types/api';
import { countdown } from '@/utils/countdown';
import { formatDateTime } from '@/utils/dates';
import { formatMoney } from '@/utils/money';
import { hoursLabel } from '@/utils/periods';
import { STATUS_LABEL, statusAt } from '@/utils/rental-status';
import { voucherStatusText } from '@/utils/voucher-status';

export function RentalCard({
  rental,
  now,
  timeZone,
  onCancel,
  onExtend,
  onChange,
}: {
  rental: Rental;
  now: number;
  timeZone: string;
  onCancel: (r: Rental) => void;
  onExtend: (r: Rental) => void;
  onChange: (r: Rental) => void;
}) {
  const status = statusAt(rental, now);
  const toStart = countdown(rental.starts_at, now);
  const toEnd = countdown(rental.ends_at, now);
  return (
    <li className={`rental rental-${status}`} data-testid="rental">
      <img src={rental.poster_url} alt="" width={80} height={120} className="thumb" />
      <div className="rental-main">
        <h2>{rental.title}</h2>
        <p>
          <span className={`status status-${status}`}>{STATUS_LABEL[status]}</span>
          <span className="muted">
            {' '}
            · {hoursLabel(rental.period)}: с {formatDateTime(rental.starts_at, timeZone)} до {formatDateTime(rental.ends_at, timeZone)} ·{' '}
            {formatMoney(rental.amount)}
          </span>
          {/* A seat on a live show: the window starts with the show (its start cannot be moved). */}
          {rental.show_id !== null && rental.show_id !== undefined && (
            <>
              {' '}
              <span className="badge badge-live">Прямая трансляция</span>
            </>
          )}
        </p>
        {status === 'upcoming' && toStart && <p className="countdown">До начала: {toStart}</p>}
        {status === 'active' && toEnd && <p className="countdown">До конца: {toEnd}</p>}
        {rental.voucher && <VoucherBlock voucher={rental.voucher} timeZone={timeZone} />}
      </div>
      <div className="rental-actions">
        {status === 'active' && (
          <Link className="button primary" to={`/watch/${rental.id}`}>
            Смотреть
          </Link>
        )}
        {status === 'active' && (
          <button type="button" onClick={() => onExtend(rental)}>
            Продлить
          </button>
        )}
        {/* Before the start: a new start (not of a live show's seat) and/or any period (longer or shorter); after it,
            only longer. */}
        {status === 'upcoming' && (
          <button type="button" onClick={() => onChange(rental)}>
            Изменить
          </button>
        )}
        {/* A rental whose theatre voucher was used at the box office is no longer cancelled for a refund (ADR 0028). */}
        {status === 'upcoming' && rental.voucher?.status !== 'redeemed' && (
          <button type="button" onClick={() => onCancel(rental)}>
            Отменить
          </button>
        )}
      </div>
    </li>
  );
}

// The rental's theatre voucher (ADR 0028): its code, worth the online price paid toward a ticket at the theatre's box
// office until the theatre's date, and what it is good for now.
function VoucherBlock({ voucher, timeZone }: { voucher: Voucher; timeZone: string }) {
  return (
    <div className={`voucher voucher-${voucher.status}`} data-testid="voucher">
      <p className="voucher-title">
        Ваучер в театр:{' '}
        <code className="voucher-code" data-testid="voucher-code">
          {voucher.code}
        </code>
      </p>
      <p className="muted">
        Номинал: {formatMoney(voucher.amount)} · действует до {formatDateTime(voucher.valid_until, timeZone)}
      </p>
      <p className="voucher-status" data-testid="voucher-status">
        {voucherStatusText(voucher, timeZone)}
      </p>
    </div>
  );
}
