import type { Rental, RentalStatus } from '@/types/api';

export const STATUS_LABEL: Record<RentalStatus, string> = {
  upcoming: 'Скоро',
  active: 'Идёт',
  expired: 'Завершена',
  cancelled: 'Отменена',
};

// The status at `now`: the list is loaded once, while the clock moves on — a rental that was
// upcoming starts, an active one ends, without a reload.
export function statusAt(rental: Pick<Rental, 'status' | 'starts_at' | 'ends_at'>, now: number): RentalStatus {
  if (rental.status === 'cancelled' || rental.status === 'expired') return rental.status;
  if (now >= Date.parse(rental.ends_at)) return 'expired';
  if (now >= Date.parse(rental.starts_at)) return 'active';
  return 'upcoming';
}
