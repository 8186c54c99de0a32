import { api } from '@/lib/api-client';
import type { PlaybackBeacon } from '@/types/api';

// POST /rentals/:id/playback/beacon — where the player is (and what failed): 204; 409 playback-taken-over when
// another device started the rental. `keepalive` for the last one, sent as the page goes away.
export function sendPlaybackBeacon(rentalId: string, beacon: PlaybackBeacon, keepalive = false) {
  return api<void>('POST', `/rentals/${encodeURIComponent(rentalId)}/playback/beacon`, { body: beacon, keepalive });
}
