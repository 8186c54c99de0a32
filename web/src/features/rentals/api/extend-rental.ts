import { api } from '@/lib/api-client';
import type { Premiere, Quote, Rental } from '@/types/api';

// The periods this rental could be extended to, each with what it would cost on top of what was paid
// (today's price for the new period minus the amount paid — the same rule the service charges by).
export async function extensionOptions(rental: Rental, signal?: AbortSignal): Promise<{ period: number; extra: number }[]> {
  const premiere = await api<Premiere>('GET', `/premiere/${rental.premiere_id}`, { signal });
  const longer = premiere.reservation.periods.filter((p) => p > rental.period);
  const quotes = await Promise.all(longer.map((p) => api<Quote>('GET', `/rent/${rental.premiere_id}?period=${p}`, { signal })));
  return quotes.map((q) => ({ period: q.period, extra: Math.max(0, q.total - rental.amount) }));
}

// PATCH /rentals/:id {period} — charges the difference; 402 with the shortfall when the balance is short.
export function extendRental(rentalId: number, period: number) {
  return api<Rental>('PATCH', `/rentals/${rentalId}`, { body: { period } });
}
