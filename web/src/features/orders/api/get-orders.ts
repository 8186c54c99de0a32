import { api, query } from '@/lib/api-client';
import type { OrderHistory } from '@/types/api';

export const ORDERS_PAGE_SIZE = 20;

// GET /orders — the customer's orders, newest first; `before` (an order id, the previous page's next_before)
// asks for the page of older ones.
export function getOrders(before: string | null, signal?: AbortSignal) {
  return api<OrderHistory>('GET', `/orders${query({ limit: ORDERS_PAGE_SIZE, before })}`, { signal });
}
