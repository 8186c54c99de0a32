import { api, query } from '@/lib/api-client';
import type { Quote } from '@/types/api';

export function getQuote(premiereId: number, period: number, signal?: AbortSignal) {
  return api<Quote>('GET', `/rent/${premiereId}${query({ period })}`, { signal });
}
