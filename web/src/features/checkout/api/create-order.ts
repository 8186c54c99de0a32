import { api } from '@/lib/api-client';
import type { Order } from '@/types/api';

// An item without starts_at opens its window when the order is paid («Начать сразу»).
export type OrderRequest = { items: { premiere_id: number; starts_at?: string; period: number }[] };

// POST /orders — the Idempotency-Key makes a retried submit (lost answer, double click) the same order.
export function createOrder(body: OrderRequest, idempotencyKey: string) {
  return api<Order>('POST', '/orders', { body, headers: { 'Idempotency-Key': idempotencyKey } });
}
