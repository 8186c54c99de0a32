import { api, query } from '@/lib/api-client';
import type { AdminPremiere, AdminPremiereList, PremiereEvent } from '@/types/api';

export type PremiereInput = Omit<AdminPremiere, 'id' | 'version' | 'updated_at'>;

export function listPremieres(q: string, page: number, signal?: AbortSignal) {
  return api<AdminPremiereList>('GET', `/admin/premieres${query({ q: q || null, page: page > 1 ? page : null, limit: 50 })}`, { signal });
}

export function getPremiere(id: number, signal?: AbortSignal) {
  return api<AdminPremiere>('GET', `/admin/premieres/${id}`, { signal });
}

export function createPremiere(input: PremiereInput) {
  return api<AdminPremiere>('POST', '/admin/premieres', { body: input });
}

// A partial change, made against the version the admin read (a stale one → 409).
export function updatePremiere(id: number, version: number, change: Partial<PremiereInput>) {
  return api<AdminPremiere>('PATCH', `/admin/premieres/${id}`, { body: { ...change, version } });
}

export function getPremiereHistory(id: number, signal?: AbortSignal) {
  return api<{ items: PremiereEvent[] }>('GET', `/admin/premieres/${id}/history`, { signal });
}
