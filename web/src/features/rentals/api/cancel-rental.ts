import { api } from '@/lib/api-client';
import type { Rental } from '@/types/api';

// POST /rentals/:id/cancel — refunds to the balance; 409 once the screening has started.
export function cancelRental(rentalId: number) {
  return api<Rental>('POST', `/rentals/${rentalId}/cancel`);
}
