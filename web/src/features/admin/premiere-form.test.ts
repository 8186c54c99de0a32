import { premiere } from './premiere-fixture';
import { changedFields, emptyForm, fromForm, toForm } from './premiere-form';

describe('premiere form', () => {
  it('shows kopecks as roubles and UTC as the admin’s local time, and converts back exactly', () => {
    const form = toForm(premiere, 'Europe/Moscow');
    expect(form.price_online).toBe('599');
    expect(form.discount_until).toBe('2027-01-01T00:00');
    expect(form.periods).toEqual([
      { hours: '12', factor: '0.7' },
      { hours: '24', factor: '1' },
    ]);
    const { input, errors } = fromForm(form, 'Europe/Moscow');
    expect(errors).toEqual({});
    expect(input?.price_online).toBe(59900);
    expect(input?.discount_until).toBe('2026-12-31T21:00:00Z');
    expect(input?.reservable_from).toBe('2026-11-01T00:00:00Z');
    expect(changedFields(input!, input!)).toEqual({});
  });

  it('sends only what changed', () => {
    const before = fromForm(toForm(premiere, 'Europe/Moscow'), 'Europe/Moscow').input!;
    const form = toForm(premiere, 'Europe/Moscow');
    form.price_online = '649,50';
    form.periods.push({ hours: '48', factor: '1,5' });
    const after = fromForm(form, 'Europe/Moscow').input!;
    expect(changedFields(before, after)).toEqual({
      price_online: 64950,
      periods: [
        { hours: 12, factor: '0.7' },
        { hours: 24, factor: '1' },
        { hours: 48, factor: '1.5' },
      ],
    });
  });

  it('names the fields that are not numbers or dates, with the API’s names', () => {
    const form = emptyForm('Europe/Moscow', Date.parse('2026-11-29T12:00:00Z'));
    form.price_online = 'дорого';
    form.price_theatre = '1000';
    form.duration_minutes = '1.5';
    form.periods[1].factor = '0';
    form.reservable_until = '';
    const { input, errors } = fromForm(form, 'Europe/Moscow');
    expect(input).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(['duration_minutes', 'periods[1].factor', 'price_online', 'reservable_until']);
  });

  it('starts a new premiere with a window from now, in the admin’s zone', () => {
    const form = emptyForm('Asia/Yekaterinburg', Date.parse('2026-11-29T12:00:00Z'));
    expect(form.reservable_from).toBe('2026-11-29T17:00');
    expect(form.base_period_hours).toBe('24');
  });
});
