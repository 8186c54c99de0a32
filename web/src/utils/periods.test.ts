import { hoursLabel, periodsLabel } from './periods';

describe('rental periods', () => {
  it('names a period in hours, with days when whole', () => {
    expect(hoursLabel(12)).toBe('12\u00a0ч');
    expect(hoursLabel(24)).toBe('24\u00a0ч (1\u00a0сутки)');
    expect(hoursLabel(72)).toBe('72\u00a0ч (3\u00a0суток)');
    expect(hoursLabel(504)).toBe('504\u00a0ч (21\u00a0сутки)');
  });
  it('lists the allowed periods in hours', () => {
    expect(periodsLabel([12, 24, 48])).toBe('12 / 24 / 48\u00a0ч');
  });
});
