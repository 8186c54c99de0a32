import { api } from '@/lib/api-client';
import type { VoucherCheck } from '@/types/api';

// GET /vouchers/:code (theatre staff, admins; the code with or without dashes, any case) → the voucher with its
// premiere. 404 for an unknown code or another theatre's, 400 naming code for a malformed one, 403 for anyone else.
export function getVoucher(code: string, signal?: AbortSignal) {
  return api<VoucherCheck>('GET', `/vouchers/${encodeURIComponent(code)}`, { signal });
}
