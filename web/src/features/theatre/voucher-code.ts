// A voucher's code as the box office types it: 16 hexadecimal characters, usually in groups of four with dashes
// ("7F3A-91C2-0B4D-E5A8"); spaces, dashes and case do not matter. The server checks the same (400 naming code).
export const EMPTY_CODE = 'Введите код ваучера';
export const MALFORMED_CODE = 'Код ваучера — 16 знаков: цифры и латинские буквы A–F, например 7F3A-91C2-0B4D-E5A8';

// The code in its usual form, or what is wrong with it.
export function parseVoucherCode(input: string): { code: string } | { problem: string } {
  const bare = input.replace(/[\s\u00a0-]/g, '').toUpperCase();
  if (!bare) return { problem: EMPTY_CODE };
  if (!/^[0-9A-F]{16}$/.test(bare)) return { problem: MALFORMED_CODE };
  return { code: bare.match(/.{4}/g)!.join('-') };
}
