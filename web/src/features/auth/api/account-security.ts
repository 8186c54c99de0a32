import { api } from '@/lib/api-client';

// One of the account's live sessions («Где выполнен вход»): `device` is the User-Agent its browser sent when it
// signed in (may be empty), `address` the client's address; times are RFC 3339 UTC.
export type AccountSession = { id: string; current: boolean; device: string; address: string; created_at: string; last_seen_at: string };

// POST /me/password → 204: the account's other sessions end, this one stays, and a notice is emailed. 422 naming
// current_password when it is wrong, 400 naming new_password when the rules refuse it, 429 past the limit.
export function changePassword(body: { current_password: string; new_password: string }) {
  return api<void>('POST', '/me/password', { body });
}

// GET /me/sessions — newest activity first.
export function getSessions(signal?: AbortSignal) {
  return api<{ items: AccountSession[] }>('GET', '/me/sessions', { signal });
}

// DELETE /me/sessions/:id → 204; 404 when the account has no such session (any more).
export function endSession(id: string) {
  return api<void>('DELETE', `/me/sessions/${encodeURIComponent(id)}`);
}

// POST /auth/logout-everywhere → 204: every session of the account ends, this one included (its cookie is cleared).
export function logoutEverywhere() {
  return api<void>('POST', '/auth/logout-everywhere');
}
