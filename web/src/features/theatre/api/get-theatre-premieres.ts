import { api, query } from '@/lib/api-client';
import type { TheatrePremieres } from '@/types/api';

// GET /theatre/premieres → the staff member's theatre's premieres with their voucher terms; an admin names the
// theatre (?theatre=, as the catalog writes it; without it 400).
export function getTheatrePremieres(theatre: string | undefined, signal?: AbortSignal) {
  return api<TheatrePremieres>('GET', `/theatre/premieres${query({ theatre })}`, { signal });
}
