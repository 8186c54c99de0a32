import type { Voucher } from '@/types/api';
import { formatDateTime } from './dates';

// A theatre voucher's status in words (ADR 0028), for «Мои премьеры» and the theatre's box office; times in the
// reader's zone. `active`: what an active voucher says (the customer is told where to use it, the box office that it
// can be redeemed).
export function voucherStatusText(
  voucher: Pick<Voucher, 'status' | 'redeemed_at'>,
  timeZone: string,
  active = 'Можно использовать в кассе театра',
): string {
  switch (voucher.status) {
    case 'active':
      return active;
    case 'redeemed':
      return voucher.redeemed_at ? `Использован ${formatDateTime(voucher.redeemed_at, timeZone)}` : 'Использован';
    case 'void':
      return 'Недействителен: аренда отменена или деньги вернулись';
    case 'expired':
      return 'Срок действия истёк';
    default:
      // A status the server may add later is shown as it is.
      return String(voucher.status);
  }
}
