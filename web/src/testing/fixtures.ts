import type { Card } from '@/types/api';

// A premiere's card as the catalog answers it, for tests: 599 ₽ online, periods 12/24/48 h, bookable until 2099
// unless `until` says otherwise.
export function cardFixture(id: number, title: string, until = '2099-02-01T00:00:00Z'): Card {
  return {
    id,
    title,
    actors: [],
    description: '',
    price_theatre: 250000,
    price_online: 59900,
    discount: null,
    price_online_final: 59900,
    reservation: { default_period: 24, periods: [12, 24, 48], from: '2026-11-01T00:00:00Z', until },
    poster_url: `/api/v1/premiere/${id}/poster.svg`,
  };
}
