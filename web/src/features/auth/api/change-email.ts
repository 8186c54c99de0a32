import { api } from '@/lib/api-client';

// POST /me/email → 202 {detail}: a link goes to the new address, and the account's email changes only when it is
// opened. 422 naming `password` (wrong) or `email` (malformed, or the current one); 409 naming `email` when another
// account has it; 429 past the limit.
export function changeEmail(body: { email: string; password: string }) {
  return api<{ detail?: string }>('POST', '/me/email', { body });
}
