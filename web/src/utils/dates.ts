// Times travel as RFC 3339 UTC strings and are shown in the customer's time zone.
export const DEFAULT_TIME_ZONE = 'Europe/Moscow';

export function formatDateTime(iso: string, timeZone = DEFAULT_TIME_ZONE): string {
  return new Intl.DateTimeFormat('ru-RU', {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

// A calendar day "YYYY-MM-DD" (the value of an <input type="date">) as the store writes dates: "07.12.2098".
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-');
  return d && m && y ? `${d}.${m}.${y}` : day;
}

// The day it is at `now` in a time zone: "2026-11-28".
export function dayIn(now: number, timeZone = DEFAULT_TIME_ZONE): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(now));
}

// The day `days` after (before, when negative) a "YYYY-MM-DD" day.
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

// Whether a value is a "YYYY-MM-DD" day that exists.
export function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && addDays(value, 0) === value;
}

// The value of an <input type="datetime-local"> showing a moment in a time zone: "2026-11-28T21:00".
export function toLocalInput(iso: string | number, timeZone = DEFAULT_TIME_ZONE): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(new Date(iso))
    .replace(' ', 'T');
}

// A datetime-local value read as wall-clock time in `timeZone` → RFC 3339 UTC ("…Z", whole seconds).
export function fromLocalInput(value: string, timeZone = DEFAULT_TIME_ZONE): string {
  // Guess the value is UTC, see what that moment shows in the zone, and shift by the difference.
  const guess = Date.parse(`${value.slice(0, 16)}:00Z`);
  const shown = Date.parse(`${toLocalInput(guess, timeZone)}:00Z`);
  return new Date(guess - (shown - guess)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Whether a value looks like a datetime-local one ("2026-11-28T21:00").
export const isLocalInput = (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value);

// Why a start typed in a datetime-local field (wall-clock time in `timeZone`) cannot be booked inside a
// premiere's window [from, until], in Russian, or undefined when it can. `graceMs`: how far before `now` a start
// still counts as not past. The service checks the same; this only saves a round trip.
export function bookingStartProblem(
  start: string,
  window: { from: string; until: string },
  timeZone: string,
  now: number,
  graceMs = 0,
): string | undefined {
  if (!isLocalInput(start)) return 'Укажите дату и время начала';
  const ms = Date.parse(fromLocalInput(start, timeZone));
  if (ms < now - graceMs) return 'Это время уже прошло';
  if (ms < Date.parse(window.from)) return `Показ можно забронировать не раньше ${formatDateTime(window.from, timeZone)}`;
  if (ms > Date.parse(window.until)) return `Показ можно забронировать не позже ${formatDateTime(window.until, timeZone)}`;
  return undefined;
}
