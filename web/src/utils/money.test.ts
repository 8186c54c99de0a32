import { formatMoney, kopecksToRubles, rublesToKopecks, shortfallToRubles } from './money';

describe('formatMoney', () => {
  it('formats kopecks as roubles with no-break spaces', () => {
    expect(formatMoney(123450)).toBe('1\u00a0234,50\u00a0₽');
    expect(formatMoney(5)).toBe('0,05\u00a0₽');
    expect(formatMoney(0)).toBe('0,00\u00a0₽');
    expect(formatMoney(100000000)).toBe('1\u00a0000\u00a0000,00\u00a0₽');
    expect(formatMoney(-250)).toBe('-2,50\u00a0₽');
  });

  it('prints exactly what ru-RU Intl prints for the same amount', () => {
    const intl = new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB' });
    for (const kopecks of [1, 99, 100, 99999, 123450, 4792000, 987654321, 250000]) {
      expect(formatMoney(kopecks)).toBe(intl.format(kopecks / 100));
    }
  });

  it('stays exact where floating point would round', () => {
    expect(formatMoney(900719925474099)).toBe('9\u00a0007\u00a0199\u00a0254\u00a0740,99\u00a0₽');
  });
});

describe('rublesToKopecks', () => {
  it('reads amounts the way people type them', () => {
    expect(rublesToKopecks('479,20')).toBe(47920);
    expect(rublesToKopecks('479.2')).toBe(47920);
    expect(rublesToKopecks('1 000')).toBe(100000);
    expect(rublesToKopecks('0,07')).toBe(7);
  });
  it('refuses what is not an amount', () => {
    expect(rublesToKopecks('12.345')).toBeNull();
    expect(rublesToKopecks('abc')).toBeNull();
    expect(rublesToKopecks('-5')).toBeNull();
    expect(rublesToKopecks('')).toBeNull();
  });
});

describe('shortfallToRubles', () => {
  it('rounds a shortfall up to whole roubles', () => {
    expect(shortfallToRubles(47920)).toBe('480');
    expect(shortfallToRubles(50000)).toBe('500');
    expect(shortfallToRubles(1)).toBe('1');
  });
});

describe('kopecksToRubles', () => {
  it('writes kopecks the way an amount field takes them back', () => {
    expect(kopecksToRubles(47920)).toBe('479,20');
    expect(kopecksToRubles(10000)).toBe('100');
    expect(kopecksToRubles(7)).toBe('0,07');
    expect(kopecksToRubles(0)).toBe('0');
    for (const kopecks of [1, 99, 100, 47920, 123456789]) expect(rublesToKopecks(kopecksToRubles(kopecks))).toBe(kopecks);
  });
});
