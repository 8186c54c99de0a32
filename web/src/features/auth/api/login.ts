import { api } from '@/lib/api-client';
import type { User } from '@/types/api';

// POST /auth/login — the answer's csrf_token is kept by the API client.
export function login(body: { email: string; password: string; remember: boolean }) {
  return api<{ user: User; csrf_token: string }>('POST', '/auth/login', { body });
}
