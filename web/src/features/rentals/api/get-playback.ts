import { api } from '@/lib/api-client';
import type { Playback } from '@/types/api';

// GET /rentals/:id/playback — a short-lived URL; 403 outside the rental window.
export function getPlayback(rentalId: string, signal?: AbortSignal) {
  return api<Playback>('GET', `/rentals/${encodeURIComponent(rentalId)}/playback`, { signal });
}
