import { api } from '@/lib/api-client';
import type { User } from '@/types/api';

export function updateProfile(body: { name?: string; phone?: string | null; time_zone?: string }) {
  return api<User>('PATCH', '/me', { body });
}
