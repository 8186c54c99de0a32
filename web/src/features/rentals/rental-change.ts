// The change dialog's model, free of React: the start as a datetime-local value in the customer's zone,
// the period in hours, what changed compared with the rental, and the money words.
import type { Rental } from '@/types/api';
import { bookingStartProblem, formatDateTime, fromLocalInput, isLocalInput, toLocalInput } from '@/utils/dates';
import { formatMoney } from '@/utils/money';
import type { RentalChange } from './api/change-rental';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

// The request for what differs from the rental (empty when nothing does). The start is compared at the
// input's precision: a start left as it was is not sent, even though the rental's has seconds.
export function changeRequest(rental: Pick<Rental, 'starts_at' | 'period'>, start: string, period: number, timeZone: string): RentalChange {
  const change: RentalChange = {};
  if (period !== rental.period) change.period = period;
  if (start !== toLocalInput(rental.starts_at, timeZone)) change.starts_at = isLocalInput(start) ? fromLocalInput(start, timeZone) : start;
  return change;
}

// The window the chosen values give, or null while the start is not a date and time.
export function changedWindow(
  rental: Pick<Rental, 'starts_at' | 'period'>,
  start: string,
  period: number,
  timeZone: string,
): { starts_at: string; ends_at: string } | null {
  const change = changeRequest(rental, start, period, timeZone);
  const startsAt = change.starts_at ?? rental.starts_at;
  const ms = Date.parse(startsAt);
  if (Number.isNaN(ms)) return null;
  return { starts_at: startsAt, ends_at: new Date(ms + period * HOUR).toISOString() };
}

// The earliest start the field offers: the next whole minute from `now`, not before the window opens.
export function earliestStart(from: string, now: number): number {
  return Math.max(Math.ceil(now / MINUTE) * MINUTE, Date.parse(from));
}

// Why a new start cannot be booked, in Russian, or undefined when it can. The service checks the same;
// this only saves a round trip.
export function changeStartProblem(start: string, reservation: { from: string; until: string }, timeZone: string, now: number = Date.now()): string | undefined {
  return bookingStartProblem(start, reservation, timeZone, now);
}

// "доплата 239,60 ₽", "вернём 119,80 ₽", "без доплаты".
export function differenceText(difference: number): string {
  if (difference > 0) return `доплата ${formatMoney(difference)}`;
  if (difference < 0) return `вернём ${formatMoney(-difference)}`;
  return 'без доплаты';
}

export function changeConfirmLabel(difference: number): string {
  if (difference > 0) return `Сохранить и доплатить ${formatMoney(difference)}`;
  if (difference < 0) return `Сохранить и вернуть ${formatMoney(-difference)}`;
  return 'Сохранить';
}

// The line for «Мои премьеры» once the service changed the rental: the new window and the money that moved.
export function changeNotice(changed: Pick<Rental, 'title' | 'starts_at' | 'ends_at'>, difference: number, timeZone: string): string {
  const window = `с ${formatDateTime(changed.starts_at, timeZone)} до ${formatDateTime(changed.ends_at, timeZone)}`;
  const money =
    difference > 0
      ? `; списали ${formatMoney(difference)} с баланса`
      : difference < 0
        ? `; вернули ${formatMoney(-difference)} на баланс`
        : '';
  return `Аренда «${changed.title}» изменена: ${window}${money}.`;
}
