import { api } from '@/lib/api-client';
import type { Order } from '@/types/api';

// POST /orders/:id/confirm — 200 paid | 402 {shortfall, balance} | 409 the price changed.
export function confirmOrder(orderId: string) {
  return api<Order>('POST', `/orders/${encodeURIComponent(orderId)}/confirm`);
}
