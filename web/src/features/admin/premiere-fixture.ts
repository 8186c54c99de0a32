// A premiere as the admin API returns it, for the admin feature's tests.
import type { AdminPremiere } from '@/types/api';

export const premiere: AdminPremiere = {
  id: 7,
  version: 3,
  updated_at: '2026-11-29T10:00:00Z',
  slug: 'mauser',
  title: 'Маузер',
  theatre: 'Театр на Таганке',
  director: 'Юрий Любимов',
  genre: 'драма',
  age_rating: '18+',
  duration_minutes: 95,
  description_short: 'Коротко.',
  description_full: 'Подробно.',
  price_theatre: 250000,
  price_online: 59900,
  discount_percent: 20,
  discount_until: '2026-12-31T21:00:00Z',
  base_period_hours: 24,
  periods: [
    { hours: 12, factor: '0.700' },
    { hours: 24, factor: '1.000' },
  ],
  reservable_from: '2026-11-01T00:00:00Z',
  reservable_until: '2027-02-01T00:00:00Z',
  live_at: null,
  capacity: null,
  featured: true,
  hidden: false,
  cast: [{ actor: 'Дмитрий Высоцкий', role: 'А' }],
};
