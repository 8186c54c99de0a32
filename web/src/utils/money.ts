// Money travels as integer kopecks and is shown the way ru-RU Intl prints roubles: "1 234,50 ₽" with
// no-break spaces (U+00A0) between the groups and before the sign. Integer arithmetic keeps amounts
// beyond 2^53 / 100 roubles exact, which a float-based Intl call would not.
const NBSP = '\u00a0';

export function formatMoney(kopecks: number): string {
  const negative = kopecks < 0;
  const abs = Math.abs(Math.trunc(kopecks));
  const rubles = Math.floor(abs / 100).toString();
  const grouped = rubles.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  const kop = (abs % 100).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${grouped},${kop}${NBSP}₽`;
}

// What a person types into an amount field ("1 000", "479,20") → kopecks; null when it is not money.
export function rublesToKopecks(input: string): number | null {
  const normalized = input.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(normalized)) return null;
  const [whole, frac = ''] = normalized.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

// Kopecks as an amount field's value: "479,20", or "100" for whole roubles (rublesToKopecks reads both back).
export function kopecksToRubles(kopecks: number): string {
  const abs = Math.abs(Math.trunc(kopecks));
  const rubles = Math.floor(abs / 100).toString();
  const kop = abs % 100;
  return `${kopecks < 0 ? '-' : ''}${rubles}${kop ? `,${kop.toString().padStart(2, '0')}` : ''}`;
}

// A shortfall in kopecks as the whole roubles to pre-fill a top-up with: always enough to cover it.
export function shortfallToRubles(kopecks: number): string {
  return Math.max(1, Math.ceil(kopecks / 100)).toString();
}
