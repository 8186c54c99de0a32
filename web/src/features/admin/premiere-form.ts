// The premiere editor's form: strings as typed (roubles, local date-times in the admin's time zone) to and
// from the admin API's premiere (kopecks, RFC 3339 UTC). Pure; unit-tested.
import type { AdminPremiere } from '@/types/api';
import { fromLocalInput, toLocalInput } from '@/utils/dates';
import { rublesToKopecks } from '@/utils/money';
import type { PremiereInput } from './api/premieres';

// Every scalar field as typed (a string), the lists as rows of strings, the switches as they are.
type Lists = 'periods' | 'cast';
type Switches = 'featured' | 'hidden';
export type PremiereForm = Record<Exclude<keyof PremiereInput, Lists | Switches>, string> &
  Pick<PremiereInput, Switches | 'cast'> & { periods: { hours: string; factor: string }[] };

export const AGE_RATINGS = ['0+', '6+', '12+', '16+', '18+'];

const rubles = (kopecks: number) => (kopecks % 100 === 0 ? String(kopecks / 100) : (kopecks / 100).toFixed(2).replace('.', ','));

export function emptyForm(timeZone: string, now = Date.now()): PremiereForm {
  return {
    slug: '',
    title: '',
    theatre: '',
    director: '',
    genre: '',
    age_rating: '16+',
    duration_minutes: '120',
    description_short: '',
    description_full: '',
    price_theatre: '',
    price_online: '',
    discount_percent: '0',
    discount_until: '',
    base_period_hours: '24',
    periods: [
      { hours: '24', factor: '1' },
      { hours: '48', factor: '1.5' },
    ],
    reservable_from: toLocalInput(now, timeZone),
    reservable_until: toLocalInput(now + 90 * 86400000, timeZone),
    live_at: '',
    capacity: '',
    featured: false,
    hidden: false,
    cast: [{ actor: '', role: '' }],
  };
}

export function toForm(p: AdminPremiere, timeZone: string): PremiereForm {
  const local = (iso: string | null) => (iso ? toLocalInput(iso, timeZone) : '');
  return {
    slug: p.slug,
    title: p.title,
    theatre: p.theatre,
    director: p.director,
    genre: p.genre,
    age_rating: p.age_rating,
    duration_minutes: String(p.duration_minutes),
    description_short: p.description_short,
    description_full: p.description_full,
    price_theatre: rubles(p.price_theatre),
    price_online: rubles(p.price_online),
    discount_percent: String(p.discount_percent),
    discount_until: local(p.discount_until),
    base_period_hours: String(p.base_period_hours),
    periods: p.periods.map((x) => ({ hours: String(x.hours), factor: x.factor.replace(/\.?0+$/, '') })),
    reservable_from: local(p.reservable_from),
    reservable_until: local(p.reservable_until),
    live_at: local(p.live_at),
    capacity: p.capacity === null ? '' : String(p.capacity),
    featured: p.featured,
    hidden: p.hidden,
    cast: p.cast.map((c) => ({ ...c })),
  };
}

const INT = /^\d{1,9}$/;

// The form as the API's premiere, or the fields (API names) that are not even numbers/dates yet. Every
// catalog rule is the service's to check: its 422 names fields the same way.
export function fromForm(f: PremiereForm, timeZone: string): { input?: PremiereInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const int = (key: string, value: string) => {
    if (!INT.test(value.trim())) errors[key] = 'Введите целое число';
    return Number(value.trim());
  };
  const money = (key: string, value: string) => {
    const k = rublesToKopecks(value);
    if (k === null) errors[key] = 'Сумма в рублях, например 499 или 499,90';
    return k ?? 0;
  };
  const time = (key: string, value: string, required: boolean) => {
    if (!value) {
      if (required) errors[key] = 'Укажите дату и время';
      return null;
    }
    return fromLocalInput(value, timeZone);
  };
  const periods = f.periods.map((p, i) => {
    const factor = p.factor.trim().replace(',', '.');
    if (!/^\d{1,3}(\.\d{1,3})?$/.test(factor) || Number(factor) <= 0) errors[`periods[${i}].factor`] = 'Множитель больше 0, например 1 или 1.5';
    return { hours: int(`periods[${i}].hours`, p.hours), factor };
  });
  const input: PremiereInput = {
    slug: f.slug.trim(),
    title: f.title.trim(),
    theatre: f.theatre.trim(),
    director: f.director.trim(),
    genre: f.genre.trim(),
    age_rating: f.age_rating,
    duration_minutes: int('duration_minutes', f.duration_minutes),
    description_short: f.description_short.trim(),
    description_full: f.description_full.trim(),
    price_theatre: money('price_theatre', f.price_theatre),
    price_online: money('price_online', f.price_online),
    discount_percent: int('discount_percent', f.discount_percent || '0'),
    discount_until: time('discount_until', f.discount_until, false),
    base_period_hours: int('base_period_hours', f.base_period_hours),
    periods,
    reservable_from: time('reservable_from', f.reservable_from, true) ?? '',
    reservable_until: time('reservable_until', f.reservable_until, true) ?? '',
    live_at: time('live_at', f.live_at, false),
    capacity: f.capacity.trim() ? int('capacity', f.capacity) : null,
    featured: f.featured,
    hidden: f.hidden,
    cast: f.cast.filter((c) => c.actor.trim() || c.role.trim()).map((c) => ({ actor: c.actor.trim(), role: c.role.trim() })),
  };
  return Object.keys(errors).length ? { errors } : { input, errors };
}

// Only what changed, for a PATCH (periods and cast compare as wholes; factors by value: "1.5" = "1.500").
export function changedFields(before: PremiereInput, after: PremiereInput): Partial<PremiereInput> {
  const norm = (v: unknown): string =>
    JSON.stringify(v, (_k, x) => (typeof x === 'string' && /^\d+(\.\d+)?$/.test(x) && x.includes('.') ? String(Number(x)) : x));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof PremiereInput)[]) {
    if (norm(before[key]) !== norm(after[key])) out[key] = after[key];
  }
  return out as Partial<PremiereInput>;
}
