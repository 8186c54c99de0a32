import { STATUS_LABEL, statusAt } from './rental-status';

describe('rental status', () => {
  const rental = { status: 'upcoming' as const, starts_at: '2026-11-28T12:00:00Z', ends_at: '2026-11-29T00:00:00Z' };

  it('moves with the clock from «Скоро» to «Идёт» to «Завершена»', () => {
    const at = (iso: string) => STATUS_LABEL[statusAt(rental, Date.parse(iso))];
    expect(at('2026-11-28T11:59:59Z')).toBe('Скоро');
    expect(at('2026-11-28T12:00:00Z')).toBe('Идёт');
    expect(at('2026-11-28T23:59:59Z')).toBe('Идёт');
    expect(at('2026-11-29T00:00:00Z')).toBe('Завершена');
  });

  it('never revives a cancelled rental', () => {
    expect(STATUS_LABEL[statusAt({ ...rental, status: 'cancelled' }, Date.parse('2026-11-28T13:00:00Z'))]).toBe('Отменена');
  });
});
