import { voucherStatusText } from './voucher-status';

describe('voucherStatusText', () => {
  it('says what a voucher is good for, in the reader’s zone', () => {
    expect(voucherStatusText({ status: 'active', redeemed_at: null }, 'Europe/Moscow')).toBe('Можно использовать в кассе театра');
    expect(voucherStatusText({ status: 'active', redeemed_at: null }, 'Europe/Moscow', 'Действует')).toBe('Действует');
    expect(voucherStatusText({ status: 'redeemed', redeemed_at: '2098-12-10T16:30:00Z' }, 'Europe/Moscow')).toBe('Использован 10.12.2098, 19:30');
    expect(voucherStatusText({ status: 'redeemed', redeemed_at: '2098-12-10T16:30:00Z' }, 'Asia/Yekaterinburg')).toBe('Использован 10.12.2098, 21:30');
    expect(voucherStatusText({ status: 'void', redeemed_at: null }, 'Europe/Moscow')).toBe('Недействителен: аренда отменена или деньги вернулись');
    expect(voucherStatusText({ status: 'expired', redeemed_at: null }, 'Europe/Moscow')).toBe('Срок действия истёк');
  });
});
