import { api } from '@/lib/api-client';
import type { TheatreStaff } from '@/types/api';

// PUT /admin/theatre-staff/:user_id {theatre} (admin only) → 200: the theatre staff account checks and redeems that
// theatre's vouchers (ADR 0028). The theatre is named as the catalog writes it; 400 naming theatre.
export function assignTheatre(userId: string, theatre: string) {
  return api<TheatreStaff>('PUT', `/admin/theatre-staff/${encodeURIComponent(userId)}`, { body: { theatre } });
}
