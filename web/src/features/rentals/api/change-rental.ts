import { getQuote } from '@/api/get-quote';
import { api } from '@/lib/api-client';
import type { Premiere, Rental } from '@/types/api';

// One period the rental could be changed to, with the money it moves: today's price for the period minus
// what was paid (positive — charged from the balance, negative — refunded to it); keeping the current
// period moves nothing (the service keeps the amount paid).
export type ChangeOption = { period: number; difference: number; current: boolean };

// Every period of the premiere, and the window in which a start may be booked.
export type ChangeOptions = { options: ChangeOption[]; reservation: { from: string; until: string } };

export async function changeOptions(rental: Rental, signal?: AbortSignal): Promise<ChangeOptions> {
  const premiere = await api<Premiere>('GET', `/premiere/${rental.premiere_id}`, { signal });
  const { periods, from, until } = premiere.reservation;
  // The current period stays on offer even if the premiere no longer lists it (the service then says why).
  const all = [...new Set([...periods, rental.period])].sort((a, b) => a - b);
  const options = await Promise.all(
    all.map(async (period): Promise<ChangeOption> => {
      if (period === rental.period) return { period, difference: 0, current: true };
      const quote = await getQuote(rental.premiere_id, period, signal);
      return { period, difference: quote.total - rental.amount, current: false };
    }),
  );
  return { options, reservation: { from, until } };
}

// What the customer changed: only the fields present are sent (starts_at RFC 3339 UTC).
export type RentalChange = { period?: number; starts_at?: string };

// PATCH /rentals/:id — charges or refunds the difference; 402 with the shortfall when the balance is short,
// 422 naming starts_at or period, 409 once the screening has started.
export function changeRental(rentalId: number, change: RentalChange) {
  const body: RentalChange = {};
  if (change.period !== undefined) body.period = change.period;
  if (change.starts_at !== undefined) body.starts_at = change.starts_at;
  return api<Rental>('PATCH', `/rentals/${rentalId}`, { body });
}
