import { api } from '@/lib/api-client';
import type { Cart } from '@/types/api';

export function getCart(signal?: AbortSignal) {
  return api<Cart>('GET', '/cart', { signal });
}
