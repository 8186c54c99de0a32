import { api } from '@/lib/api-client';

export function removeCartItem(itemId: number) {
  return api<void>('DELETE', `/cart/items/${itemId}`);
}
