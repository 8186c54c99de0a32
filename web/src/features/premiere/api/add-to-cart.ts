import { api } from '@/lib/api-client';
import type { CartItem } from '@/types/api';

// POST /cart/items — adding a premiere already in the cart does not duplicate it.
export function addToCart(premiereId: number, period: number) {
  return api<CartItem>('POST', '/cart/items', { body: { premiere_id: premiereId, period } });
}
