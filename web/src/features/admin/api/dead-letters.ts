import { api } from '@/lib/api-client';
import type { DeadLetter } from '@/types/api';

export function listDeadLetters(signal?: AbortSignal) {
  return api<{ items: DeadLetter[] }>('GET', '/admin/notifications/dead-letters', { signal });
}

export function replayDeadLetter(id: number) {
  return api<{ status: string }>('POST', `/admin/notifications/dead-letters/${id}/replay`);
}
