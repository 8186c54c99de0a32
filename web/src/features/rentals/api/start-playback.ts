import { api } from '@/lib/api-client';
import type { Playback } from '@/types/api';

// POST /rentals/:id/playback — a stream on this device, ending the rental's stream on any other one: a short-lived
// URL, the session that renews it, and where to resume. 403 outside the rental window.
export function startPlayback(rentalId: string, signal?: AbortSignal) {
  return api<Playback>('POST', `/rentals/${encodeURIComponent(rentalId)}/playback`, { body: {}, signal });
}
