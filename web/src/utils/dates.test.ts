import { addDays, dayIn, formatDateTime, formatDay, fromLocalInput, isDay, toLocalInput } from './dates';

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

describe('calendar days', () => {
  it('tells the day in a zone', () => {
    expect(dayIn(Date.parse('2026-11-28T20:59:00Z'))).toBe('2026-11-28');
    expect(dayIn(Date.parse('2026-11-28T21:00:00Z'))).toBe('2026-11-29');
    expect(dayIn(Date.parse('2026-11-28T21:00:00Z'), 'UTC')).toBe('2026-11-28');
  });

  it('counts days across months and years', () => {
    expect(addDays('2026-11-29', -29)).toBe('2026-10-31');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });

  it('writes and checks days', () => {
    expect(formatDay('2098-12-07')).toBe('07.12.2098');
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('28.02.2026')).toBe(false);
    expect(isDay('')).toBe(false);
  });
});
