import { api } from '@/lib/api-client';
import type { TheatreAssignment } from '@/types/api';

// GET /theatre/me (theatre staff) → the theatre the account is assigned to; 404 not-theatre-staff when an admin has
// not assigned one yet, 403 for anyone else (admins included: they work for no one theatre).
export function getTheatre(signal?: AbortSignal) {
  return api<TheatreAssignment>('GET', '/theatre/me', { signal });
}
