import { api, API_PREFIX } from '@/lib/api-client';
import type { Balance } from '@/types/api';

// GET /me/data: a JSON file (Content-Disposition: attachment) with everything the store holds about the customer —
// the account, sessions, orders, rentals, cart, balance and ledger, payments, emails and notifications. The browser
// downloads it from a plain link (the session cookie goes with it; a GET needs no CSRF token).
export const DATA_EXPORT_URL = `${API_PREFIX}/me/data`;

// GET /billing/amount/: the balance, which deleting the account does not pay back (the form says how much).
export function getBalanceBeforeDeletion(signal?: AbortSignal) {
  return api<Balance>('GET', '/billing/amount/', { signal });
}

// POST /me/delete {password} → 204: the account is deleted and every session of it ends (this one's cookie is
// cleared). 422 naming password when it is wrong, 400 naming it when it is missing, 429 past the limit.
export function deleteAccount(body: { password: string }) {
  return api<void>('POST', '/me/delete', { body });
}
