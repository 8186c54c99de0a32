import { api, query } from '@/lib/api-client';
import type { Quote } from '@/types/api';

// GET /rent/:id?period= — the price of renting for `period` hours; 422 for a period not allowed.
export function getQuote(premiereId: number, period: number, signal?: AbortSignal) {
  return api<Quote>('GET', `/rent/${premiereId}${query({ period })}`, { signal });
}
