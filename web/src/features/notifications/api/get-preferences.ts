import { api } from '@/lib/api-client';
import type { NotificationPrefs } from '@/types/api';

export function getPreferences(signal?: AbortSignal) {
  return api<NotificationPrefs>('GET', '/me/notifications', { signal });
}
