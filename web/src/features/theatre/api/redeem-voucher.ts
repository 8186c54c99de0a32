import { api } from '@/lib/api-client';
import type { VoucherCheck } from '@/types/api';

// POST /vouchers/:code/redeem (theatre staff of the voucher's theatre, admins) → 200 the voucher, now redeemed. The
// Idempotency-Key makes a retried attempt (a lost answer) the same redemption: the same key answers the same 200.
// 409 voucher-redeemed (used already), 409 voucher-void (the rental cancelled or refunded), 410 voucher-expired.
export function redeemVoucher(code: string, idempotencyKey: string) {
  return api<VoucherCheck>('POST', `/vouchers/${encodeURIComponent(code)}/redeem`, {
    body: {},
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}
