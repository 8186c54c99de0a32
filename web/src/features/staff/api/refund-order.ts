import { api } from '@/lib/api-client';
import type { Refund } from '@/types/api';

// Without rental_id the refund is on the whole order. reason: 3..500 characters; the customer sees it.
export type RefundRequest = { amount: number; reason: string; rental_id?: number };

// POST /admin/orders/:id/refunds (support or admin) → 201: the money goes to the customer's balance, the refund
// appears in their «Мои заказы» with its receipt, and they are emailed. The Idempotency-Key makes a retried
// submit (lost answer, double click) the same refund. 403 naming amount: more than a support member may refund;
// 409: the order is not paid; 422 naming amount: more than is left to refund, naming rental_id: not this order's.
export function refundOrder(orderId: string, body: RefundRequest, idempotencyKey: string) {
  return api<Refund>('POST', `/admin/orders/${encodeURIComponent(orderId)}/refunds`, {
    body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}
