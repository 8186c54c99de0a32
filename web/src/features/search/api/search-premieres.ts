import { api, query } from '@/lib/api-client';
import type { SearchResult } from '@/types/api';

export const SEARCH_PAGE_SIZE = 12;

// GET /search/?q= — an empty q answers the featured premieres.
export function searchPremieres(q: string, { page = 1, limit = SEARCH_PAGE_SIZE, signal }: { page?: number; limit?: number; signal?: AbortSignal } = {}) {
  return api<SearchResult>('GET', `/search/${query({ q, page, limit })}`, { signal });
}
