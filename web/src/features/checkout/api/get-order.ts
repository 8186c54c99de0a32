import { api } from '@/lib/api-client';
import type { Order } from '@/types/api';

export function getOrder(orderId: string, signal?: AbortSignal) {
  return api<Order>('GET', `/orders/${encodeURIComponent(orderId)}`, { signal });
}
