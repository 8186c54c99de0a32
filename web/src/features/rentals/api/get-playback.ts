import { api, query } from '@/lib/api-client';
import type { Playback } from '@/types/api';

// GET /rentals/:id/playback?session= — the stream's URL renewed before it expires; 409 playback-taken-over once
// another device started the rental, 403 outside the rental window.
export function getPlayback(rentalId: string, session: string, signal?: AbortSignal) {
  return api<Playback>('GET', `/rentals/${encodeURIComponent(rentalId)}/playback${query({ session })}`, { signal });
}
