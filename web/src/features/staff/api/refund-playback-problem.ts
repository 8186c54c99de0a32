import { api } from '@/lib/api-client';
import type { Refund } from '@/types/api';

// POST /admin/playback-problems/:id/refund (support or admin) → 200 the refund: everything the report's rental still
// holds goes to the customer's balance (in «Мои заказы» with its receipt, and emailed), and the report is resolved.
// The server's key makes a second click the same refund. 403 refund-over-support-limit: more than a support member
// may refund (an admin does it); 404; 409 problem-resolved or nothing-to-refund.
export function refundPlaybackProblem(id: number) {
  return api<Refund>('POST', `/admin/playback-problems/${id}/refund`, { body: {} });
}
