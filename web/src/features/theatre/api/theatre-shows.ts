import type { NewShow, ShowsApi } from '@/components/premiere-shows-panel';
import { api } from '@/lib/api-client';
import type { AdminShow, ShowCancellation } from '@/types/api';

// The box office's live shows (ADR 0027) of its theatre's premieres: the admin's endpoints scoped to the caller's
// theatre (an admin may use them for any theatre). Another theatre's premiere or show is a 404.
// GET /theatre/premieres/:id/shows → every show of the premiere, cancelled ones too, soonest first.
export async function listTheatreShows(premiereId: number, signal?: AbortSignal): Promise<AdminShow[]> {
  return (await api<{ items: AdminShow[] }>('GET', `/theatre/premieres/${premiereId}/shows`, { signal })).items;
}

// POST /theatre/premieres/:id/shows → 201 the show; 400 naming `starts_at`/`capacity`, 422 naming `starts_at` (in the
// past), 409 show-exists naming `starts_at`.
export function createTheatreShow(premiereId: number, show: NewShow) {
  return api<AdminShow>('POST', `/theatre/premieres/${premiereId}/shows`, { body: show });
}

// POST /theatre/shows/:id/cancel → the show and how many buyers were refunded in full (each is emailed); 409
// show-cancelled when it is cancelled already.
export function cancelTheatreShow(showId: number) {
  return api<ShowCancellation>('POST', `/theatre/shows/${showId}/cancel`);
}

// The three for PremiereShowsPanel.
export const theatreShows: ShowsApi = { list: listTheatreShows, create: createTheatreShow, cancel: cancelTheatreShow };
