import { api } from '@/lib/api-client';

// changed: the link confirmed the new address of a change of address (the account's email is now `email`);
// detail: Russian text for the customer.
export type EmailConfirmed = { email: string; changed: boolean; detail?: string };

// POST /auth/verify-email — no session needed: the token from the emailed link is the proof. 422 naming `token`
// when the link is unknown, used or expired; 400 when it is malformed.
export function verifyEmail(token: string) {
  return api<EmailConfirmed>('POST', '/auth/verify-email', { body: { token } });
}
