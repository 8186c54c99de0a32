// Money is integer kopecks; shown the Russian way: "1 234,50 ₽".
export function formatMoney(kopecks: number): string {
  const negative = kopecks < 0;
  const abs = Math.abs(kopecks);
  const rubles = Math.floor(abs / 100).toString();
  const grouped = rubles.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  const kop = (abs % 100).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${grouped},${kop}\u00a0₽`;
}

export function rublesToKopecks(input: string): number | null {
  const normalized = input.replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(normalized)) return null;
  return Math.round(parseFloat(normalized) * 100);
}

export function formatDateTime(iso: string, timeZone = 'Europe/Moscow'): string {
  return new Intl.DateTimeFormat('ru-RU', {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

// "2 д 03:04:05" until a moment, or null when it has passed.
export function countdown(toIso: string, now: number = Date.now()): string | null {
  let s = Math.floor((new Date(toIso).getTime() - now) / 1000);
  if (s <= 0) return null;
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const hh = Math.floor(s / 3600).toString().padStart(2, '0');
  const mm = Math.floor((s % 3600) / 60).toString().padStart(2, '0');
  const ss = (s % 60).toString().padStart(2, '0');
  return `${days > 0 ? `${days} д ` : ''}${hh}:${mm}:${ss}`;
}

export function hoursLabel(h: number): string {
  if (h % 24 === 0) {
    const d = h / 24;
    return d === 1 ? '1 сутки' : `${d} суток`;
  }
  return `${h} ч`;
}

// The value for <input type="datetime-local"> of a moment in a time zone, and back.
export function toLocalInput(iso: string, timeZone = 'Europe/Moscow'): string {
  const parts = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
  return parts.replace(' ', 'T');
}

export function fromLocalInput(value: string, timeZone = 'Europe/Moscow'): string {
  // Interpret the wall-clock value in `timeZone`: guess as UTC, then correct by the zone's offset.
  const guess = new Date(`${value}:00Z`);
  const shown = new Date(toLocalInput(guess.toISOString(), timeZone) + ':00Z');
  const offset = shown.getTime() - guess.getTime();
  return new Date(guess.getTime() - offset).toISOString().replace('.000Z', 'Z');
}
