import { api } from '@/lib/api-client';
import type { NextShow, Show } from '@/types/api';

// The most premieres one GET /shows answers for.
export const NEXT_SHOWS_LIMIT = 50;

// GET /shows?premieres=1,2,3 — each premiere's next upcoming live show (ADR 0027), one request for a whole list of
// cards; keyed by premiere id (null: no upcoming show). No ids, no request.
export async function getNextShows(premiereIds: number[], signal?: AbortSignal): Promise<Record<number, Show | null>> {
  const ids = premiereIds.slice(0, NEXT_SHOWS_LIMIT);
  if (ids.length === 0) return {};
  const r = await api<{ items: NextShow[] }>('GET', `/shows?premieres=${ids.join(',')}`, { signal });
  return Object.fromEntries(r.items.map((i) => [i.premiere_id, i.next]));
}
