import { countdown } from './countdown';

describe('countdown', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');

  it('shows hours, minutes and seconds', () => {
    expect(countdown('2026-11-28T13:02:03Z', now)).toBe('01:02:03');
    expect(countdown('2026-11-28T12:00:01Z', now)).toBe('00:00:01');
  });

  it('adds whole days in front', () => {
    expect(countdown('2026-11-30T12:00:01Z', now)).toBe('2\u00a0д 00:00:01');
    expect(countdown('2026-11-29T11:59:59Z', now)).toBe('23:59:59');
  });

  it('drops parts of a second instead of rounding up', () => {
    expect(countdown('2026-11-28T12:00:05.900Z', now)).toBe('00:00:05');
  });

  it('is over at the moment itself and after it', () => {
    expect(countdown('2026-11-28T12:00:00Z', now)).toBeNull();
    expect(countdown('2026-11-28T11:59:59Z', now)).toBeNull();
    expect(countdown('not a date', now)).toBeNull();
  });
});
