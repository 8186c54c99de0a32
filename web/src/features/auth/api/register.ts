import { api } from '@/lib/api-client';
import type { User } from '@/types/api';

// consent: the customer ticked the consent to the processing of personal data (152-ФЗ); the server refuses a
// registration without it (400 naming `consent`).
export type RegisterInput = { email: string; password: string; name: string; phone?: string; time_zone: string; consent: true };

export function register(body: RegisterInput) {
  return api<{ user: User; csrf_token: string }>('POST', '/auth/register', { body });
}
