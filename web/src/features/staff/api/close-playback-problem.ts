import { api } from '@/lib/api-client';

// POST /admin/playback-problems/:id/close (support or admin) → 204: resolved without a refund. 404; 409 resolved
// already (problem-resolved).
export function closePlaybackProblem(id: number) {
  return api<void>('POST', `/admin/playback-problems/${id}/close`, { body: {} });
}
