import { api } from '@/lib/api-client';

// POST /me/email-verification → 202 {detail}: the email with the confirmation link is sent again. 409 when the
// address is confirmed already, 429 (Retry-After) when asked too often; each problem's detail says so in Russian.
export function sendEmailVerification() {
  return api<{ detail?: string }>('POST', '/me/email-verification');
}
