import { api } from '@/lib/api-client';
import type { Payment } from '@/types/api';

// POST /billing/fill — the payment page brings the customer back to `returnUrl` (a same-origin path).
export function topUp(summ: number, returnUrl: string) {
  return api<Payment>('POST', '/billing/fill', { body: { summ, return_url: returnUrl } });
}
