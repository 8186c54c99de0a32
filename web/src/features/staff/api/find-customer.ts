import { api, query } from '@/lib/api-client';
import type { CustomerLookup } from '@/types/api';

// What the staff look a customer up by: the account's address or the id of one of its orders.
export type CustomerQuery = { email: string } | { order: string };

// GET /admin/customers?email= | ?order= (support or admin) → everything the store holds about the customer.
// 400 naming email or order (malformed), 404 «Покупатель не найден», 410 for a deleted account.
export function findCustomer(by: CustomerQuery, signal?: AbortSignal) {
  return api<CustomerLookup>('GET', `/admin/customers${query(by)}`, { signal });
}
