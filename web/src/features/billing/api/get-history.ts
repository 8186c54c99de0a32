import { api, query } from '@/lib/api-client';
import type { History } from '@/types/api';

export function getHistory(cursor: string | null, signal?: AbortSignal) {
  return api<History>('GET', `/billing/history${query({ cursor })}`, { signal });
}
