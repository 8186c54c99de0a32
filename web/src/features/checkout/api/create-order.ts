import { api } from '@/lib/api-client';
import type { Order } from '@/types/api';

// An item without starts_at opens its window when the order is paid («Начать сразу»); one with show_id is a seat at
// that live show (ADR 0027), its window starting with the show (never with starts_at beside it).
export type OrderRequest = { items: { premiere_id: number; starts_at?: string; period: number; show_id?: number }[] };

// POST /orders — the Idempotency-Key makes a retried submit (lost answer, double click) the same order.
export function createOrder(body: OrderRequest, idempotencyKey: string) {
  return api<Order>('POST', '/orders', { body, headers: { 'Idempotency-Key': idempotencyKey } });
}
