import { api } from '@/lib/api-client';
import type { Cart } from '@/types/api';

// POST /cart/items — adding a premiere already in the cart does not duplicate it; answers the whole cart.
export function addToCart(premiereId: number, period: number) {
  return api<Cart>('POST', '/cart/items', { body: { premiere_id: premiereId, period } });
}
