import { api } from '@/lib/api-client';
import type { Notifications } from '@/types/api';

export function getNotifications(signal?: AbortSignal) {
  return api<Notifications>('GET', '/notifications', { signal });
}
