import { EMPTY_CODE, MALFORMED_CODE, parseVoucherCode } from './voucher-code';

describe('parseVoucherCode', () => {
  it('reads a code with or without dashes and spaces, in any case', () => {
    for (const typed of ['7F3A-91C2-0B4D-E5A8', '7f3a91c20b4de5a8', ' 7F3A 91C2 0B4D E5A8 ', '7F3A-91c2-0B4DE5A8'])
      expect(parseVoucherCode(typed)).toEqual({ code: '7F3A-91C2-0B4D-E5A8' });
  });

  it('says what is wrong with anything else', () => {
    expect(parseVoucherCode('  ')).toEqual({ problem: EMPTY_CODE });
    expect(parseVoucherCode('7F3A-91C2-0B4D')).toEqual({ problem: MALFORMED_CODE });
    expect(parseVoucherCode('7F3A-91C2-0B4D-E5AG')).toEqual({ problem: MALFORMED_CODE });
    // Cyrillic look-alikes are not the code's letters.
    expect(parseVoucherCode('7F3А-91C2-0B4D-E5A8')).toEqual({ problem: MALFORMED_CODE });
  });
});
