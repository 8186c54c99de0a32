import { api } from '@/lib/api-client';
import type { NotificationPrefs } from '@/types/api';

export function updatePreferences(prefs: NotificationPrefs) {
  return api<NotificationPrefs>('PATCH', '/me/notifications', { body: prefs });
}
