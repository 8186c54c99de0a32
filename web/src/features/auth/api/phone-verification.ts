import { api } from '@/lib/api-client';
import type { User } from '@/types/api';

// POST /me/phone-verification → 202 {detail}: a six-digit code goes by SMS to the account's number (it works for
// 10 minutes; earlier codes stop working). 422 naming `phone` when the account has no number, 409 when it is
// confirmed already, 429 (Retry-After) within a minute of the last code or past 5 an hour.
export function sendPhoneCode() {
  return api<{ detail?: string }>('POST', '/me/phone-verification', { body: {} });
}

// POST /me/phone-verification/confirm → 200 with the user (phone_verified true). 400 naming `code` when it is not six
// digits; 422 naming `code` when it is wrong (the message says how many tries are left) or no longer works (expired,
// used, too many wrong tries: a new one is needed); 409 when the number is confirmed already.
export function confirmPhone(code: string) {
  return api<User>('POST', '/me/phone-verification/confirm', { body: { code } });
}
