import { api, query } from '@/lib/api-client';
import type { Suggestion } from '@/types/api';

export const SUGGEST_MIN_CHARS = 2;
export const SUGGEST_DEBOUNCE_MS = 250;

export async function getSuggestions(q: string, signal?: AbortSignal): Promise<Suggestion[]> {
  const r = await api<{ items: Suggestion[] }>('GET', `/search/suggest${query({ q })}`, { signal });
  return r.items;
}
