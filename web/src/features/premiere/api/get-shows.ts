import { api } from '@/lib/api-client';
import type { Show } from '@/types/api';

// GET /premiere/:id/shows — the premiere's upcoming live shows, soonest first (cancelled and started ones are not
// listed); asked afresh each time (no-store): the seats left change with every purchase.
export async function getShows(premiereId: number, signal?: AbortSignal): Promise<Show[]> {
  return (await api<{ items: Show[] }>('GET', `/premiere/${premiereId}/shows`, { signal })).items;
}
