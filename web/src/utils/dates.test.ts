import { formatDateTime, fromLocalInput, toLocalInput } from './dates';

describe('dates in the customer time zone', () => {
  it('shows a UTC moment in the zone, Moscow by default', () => {
    expect(formatDateTime('2027-02-01T00:00:00Z')).toBe('01.02.2027, 03:00');
    expect(formatDateTime('2027-02-01T00:00:00Z', 'Asia/Vladivostok')).toBe('01.02.2027, 10:00');
  });

  it('fills datetime-local inputs with wall-clock time of the zone', () => {
    expect(toLocalInput('2026-11-28T18:00:00Z', 'Europe/Moscow')).toBe('2026-11-28T21:00');
    expect(toLocalInput('2026-11-28T22:30:00Z', 'Europe/Moscow')).toBe('2026-11-29T01:30');
  });

  it('reads datetime-local values back as UTC, daylight saving included', () => {
    expect(fromLocalInput('2026-11-28T21:00', 'Europe/Moscow')).toBe('2026-11-28T18:00:00Z');
    expect(fromLocalInput('2026-07-01T12:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00Z');
    expect(fromLocalInput('2026-01-01T12:00', 'Europe/Berlin')).toBe('2026-01-01T11:00:00Z');
    expect(fromLocalInput('2026-01-01T12:00', 'Asia/Yekaterinburg')).toBe('2026-01-01T07:00:00Z');
  });
});
