import { api } from '@/lib/api-client';
import type { Order } from '@/types/api';

// POST /rent/ with a show (ADR 0027): a seat on the live show, paid from the balance in one step; the show fixes the
// rental's start. 200 → the paid order; 402 with `shortfall` when the balance is short; 409 «…/sold-out» when the
// show sold out meanwhile; 422 naming `items[0].show_id` when the show is cancelled, started or not of this premiere.
// The Idempotency-Key makes a retried request (a lost answer, a double click) the same purchase.
export function rentShow(premiereId: number, period: number, showId: number, idempotencyKey: string) {
  return api<Order>('POST', '/rent/', { body: { id: premiereId, period, show_id: showId }, headers: { 'Idempotency-Key': idempotencyKey } });
}
