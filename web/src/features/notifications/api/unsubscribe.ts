import { api } from '@/lib/api-client';

// POST /notifications/unsubscribe?u=…&t=… — the signed address a reminder email carries; no session needed.
export function unsubscribeFromReminders(user: string, token: string) {
  return api<{ detail: string }>('POST', `/notifications/unsubscribe?u=${encodeURIComponent(user)}&t=${encodeURIComponent(token)}`, {});
}
