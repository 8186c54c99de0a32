import { api } from '@/lib/api-client';
import type { User } from '@/types/api';

export type RegisterInput = { email: string; password: string; name: string; phone?: string; time_zone: string };

export function register(body: RegisterInput) {
  return api<{ user: User; csrf_token: string }>('POST', '/auth/register', { body });
}
