import { api, query } from '@/lib/api-client';
import type { PlaybackProblems, PlaybackProblemStatus } from '@/types/api';

// GET /admin/playback-problems?status=open|all (support or admin) → the customers' reports, newest first, each with
// what its rental's playback sessions recorded and what is left to refund. 400 naming status.
export function getPlaybackProblems(status: PlaybackProblemStatus, signal?: AbortSignal) {
  return api<PlaybackProblems>('GET', `/admin/playback-problems${query({ status })}`, { signal });
}
