import { api } from '@/lib/api-client';
import type { AdminShow, ShowCancellation, ShowsApi } from '@/types/api';

// A premiere's live shows as staff manage them (ADR 0027): the same three calls under `/admin` (the store's admins,
// every theatre: the premiere editor) and `/theatre` (a theatre's box office, its own premieres only: «Касса театра»).
// GET {prefix}/premieres/:id/shows, POST {prefix}/premieres/:id/shows, POST {prefix}/shows/:id/cancel.
export function staffShows(prefix: '/admin' | '/theatre'): ShowsApi {
  return {
    list: async (premiereId, signal) =>
      (await api<{ items: AdminShow[] }>('GET', `${prefix}/premieres/${premiereId}/shows`, { signal })).items,
    create: (premiereId, show) => api<AdminShow>('POST', `${prefix}/premieres/${premiereId}/shows`, { body: show }),
    cancel: (showId) => api<ShowCancellation>('POST', `${prefix}/shows/${showId}/cancel`),
  };
}
