import { api } from '@/lib/api-client';
import type { User } from '@/types/api';

// POST /auth/password-reset — 202 with the same detail whether or not the address is registered; the email
// carries a link to /reset-password#token=….
export function requestPasswordReset(body: { email: string }) {
  return api<{ detail?: string }>('POST', '/auth/password-reset', { body });
}

// POST /auth/password-reset/confirm — answers like POST /auth/login (the customer is signed in, every other
// session of the account is ended); the answer's csrf_token is kept by the API client.
export function confirmPasswordReset(body: { token: string; password: string }) {
  return api<{ user: User; csrf_token: string }>('POST', '/auth/password-reset/confirm', { body });
}
