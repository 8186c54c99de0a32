import { api } from '@/lib/api-client';
import type { VoucherTerms } from '@/types/api';

// PUT /theatre/premieres/:id/voucher {valid_until} → the premiere's rentals paid from now on carry a voucher valid
// until then. 400/422 naming valid_until: not a time, or in the past.
export function setVoucherTerms(premiereId: number, validUntil: string) {
  return api<VoucherTerms>('PUT', `/theatre/premieres/${premiereId}/voucher`, { body: { valid_until: validUntil } });
}

// DELETE /theatre/premieres/:id/voucher → 204: no more vouchers are issued for the premiere (those issued stay good).
export function removeVoucherTerms(premiereId: number) {
  return api<void>('DELETE', `/theatre/premieres/${premiereId}/voucher`);
}
