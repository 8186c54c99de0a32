import { api } from '@/lib/api-client';
import type { Role, User } from '@/types/api';

// PATCH /admin/users/:id/role (admin only) → 200 the user; their sessions end, so they sign in again with the new
// role. 400 naming role, 404, 409 when an admin tries to change their own role.
export function setRole(userId: string, role: Role) {
  return api<User>('PATCH', `/admin/users/${encodeURIComponent(userId)}/role`, { body: { role } });
}
