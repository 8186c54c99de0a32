import { checkoutTotal } from '@/features/checkout/checkout-total';
import { countdown, formatMoney, fromLocalInput, hoursLabel, rublesToKopecks, toLocalInput } from './format';

describe('money', () => {
  it('formats kopecks the Russian way', () => {
    expect(formatMoney(123450)).toBe('1\u00a0234,50\u00a0₽');
    expect(formatMoney(5)).toBe('0,05\u00a0₽');
    expect(formatMoney(100000000)).toBe('1\u00a0000\u00a0000,00\u00a0₽');
    expect(formatMoney(-250)).toBe('-2,50\u00a0₽');
  });
  it('parses rubles typed by a person', () => {
    expect(rublesToKopecks('479,20')).toBe(47920);
    expect(rublesToKopecks('1 000')).toBe(100000);
    expect(rublesToKopecks('12.345')).toBeNull();
    expect(rublesToKopecks('abc')).toBeNull();
  });
});

describe('time', () => {
  it('counts down to a moment and stops at zero', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(countdown('2026-11-28T13:02:03Z', now)).toBe('01:02:03');
    expect(countdown('2026-11-30T12:00:01Z', now)).toBe('2 д 00:00:01');
    expect(countdown('2026-11-28T11:59:59Z', now)).toBeNull();
  });
  it('converts datetime-local values in the customer time zone', () => {
    expect(toLocalInput('2026-11-28T18:00:00Z', 'Europe/Moscow')).toBe('2026-11-28T21:00');
    expect(fromLocalInput('2026-11-28T21:00', 'Europe/Moscow')).toBe('2026-11-28T18:00:00Z');
    expect(fromLocalInput('2026-07-01T12:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00Z');
    expect(fromLocalInput('2026-01-01T12:00', 'Asia/Yekaterinburg')).toBe('2026-01-01T07:00:00Z');
  });
  it('names rental periods', () => {
    expect(hoursLabel(12)).toBe('12 ч');
    expect(hoursLabel(24)).toBe('1 сутки');
    expect(hoursLabel(72)).toBe('3 суток');
  });
});

describe('checkout total', () => {
  it('adds the quotes and waits for missing ones', () => {
    expect(checkoutTotal([47920, 71880])).toBe(119800);
    expect(checkoutTotal([47920, undefined])).toBeNull();
    expect(checkoutTotal([])).toBe(0);
  });
});
