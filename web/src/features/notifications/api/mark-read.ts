import { api } from '@/lib/api-client';

export function markRead(notificationId: number) {
  return api<void>('POST', `/notifications/${notificationId}/read`);
}
