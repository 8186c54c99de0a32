import { api } from '@/lib/api-client';
import type { Premiere } from '@/types/api';

export function getPremiere(id: string, signal?: AbortSignal) {
  return api<Premiere>('GET', `/premiere/${encodeURIComponent(id)}`, { signal });
}
