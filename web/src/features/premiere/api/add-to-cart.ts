import { api } from '@/lib/api-client';
import type { Cart } from '@/types/api';

// POST /cart/items — adding a premiere already in the cart does not duplicate it; answers the whole cart.
export function addToCart(premiereId: number, period: number) {
  return api<Cart>('POST', '/cart/items', { body: { premiere_id: premiereId, period } });
}

// POST /cart/items with a show (ADR 0027): the line is a seat at that live show for `period`, its window starting
// with the show (a line of the premiere already in the cart becomes that seat). Nothing is held: the seat is taken
// when the order is paid. 409 «…/sold-out» when no seat is left; 422 naming `show_id` when the show is unknown,
// cancelled or started.
export function addShowToCart(premiereId: number, period: number, showId: number) {
  return api<Cart>('POST', '/cart/items', { body: { premiere_id: premiereId, period, show_id: showId } });
}
