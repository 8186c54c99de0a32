import type { NewShow, ShowsApi } from '@/components/premiere-shows-panel';
import { api } from '@/lib/api-client';
import type { AdminShow, ShowCancellation } from '@/types/api';

// A premiere's live shows (ADR 0027), cancelled ones too, soonest first.
export async function listShows(premiereId: number, signal?: AbortSignal): Promise<AdminShow[]> {
  return (await api<{ items: AdminShow[] }>('GET', `/admin/premieres/${premiereId}/shows`, { signal })).items;
}

// 201 the show; 400/422 naming `starts_at` (in the past) or `capacity` (1..100000); 409 naming `starts_at` when the
// premiere has a show at that time already.
export function createShow(premiereId: number, show: NewShow) {
  return api<AdminShow>('POST', `/admin/premieres/${premiereId}/shows`, { body: show });
}

// Cancels the show and refunds every buyer in full (each is emailed); 409 when it is cancelled already.
export function cancelShow(showId: number) {
  return api<ShowCancellation>('POST', `/admin/shows/${showId}/cancel`);
}

// The three for PremiereShowsPanel.
export const adminShows: ShowsApi = { list: listShows, create: createShow, cancel: cancelShow };
