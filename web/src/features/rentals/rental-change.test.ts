import { changeConfirmLabel, changeNotice, changeRequest, differenceText, earliestStart } from './rental-change';

const NB = '\u00a0';
const rental = { title: 'Маузер', starts_at: '2098-12-01T16:00:30Z', ends_at: '2098-12-02T16:00:30Z', period: 24 };

describe('changing a rental', () => {
  it('asks only for what differs, the start compared at the minute the field shows', () => {
    expect(changeRequest(rental, '2098-12-01T19:00', 24, 'Europe/Moscow')).toEqual({});
    expect(changeRequest(rental, '2098-12-01T19:00', 12, 'Europe/Moscow')).toEqual({ period: 12 });
    expect(changeRequest(rental, '2098-12-01T19:01', 24, 'Europe/Moscow')).toEqual({ starts_at: '2098-12-01T16:01:00Z' });
    expect(changeRequest(rental, '2098-12-01T16:00', 24, 'UTC')).toEqual({});
  });

  it('words the money each way', () => {
    expect(differenceText(23960)).toBe(`доплата 239,60${NB}₽`);
    expect(differenceText(-11980)).toBe(`вернём 119,80${NB}₽`);
    expect(differenceText(0)).toBe('без доплаты');
    expect(changeConfirmLabel(23960)).toBe(`Сохранить и доплатить 239,60${NB}₽`);
    expect(changeConfirmLabel(-11980)).toBe(`Сохранить и вернуть 119,80${NB}₽`);
    expect(changeConfirmLabel(0)).toBe('Сохранить');
  });

  it('tells the customer the new window and what moved on the balance', () => {
    const moved = { ...rental, starts_at: '2098-12-02T16:00:00Z', ends_at: '2098-12-03T04:00:00Z' };
    const window = 'с 02.12.2098, 19:00 до 03.12.2098, 07:00';
    expect(changeNotice(moved, -11980, 'Europe/Moscow')).toBe(`Аренда «Маузер» изменена: ${window}; вернули 119,80${NB}₽ на баланс.`);
    expect(changeNotice(moved, 23960, 'Europe/Moscow')).toBe(`Аренда «Маузер» изменена: ${window}; списали 239,60${NB}₽ с баланса.`);
    expect(changeNotice(moved, 0, 'Europe/Moscow')).toBe(`Аренда «Маузер» изменена: ${window}.`);
  });

  it('offers no start before the next whole minute or the window opening', () => {
    expect(earliestStart('2026-11-01T00:00:00Z', Date.parse('2026-11-29T10:00:20Z'))).toBe(Date.parse('2026-11-29T10:01:00Z'));
    expect(earliestStart('2026-12-01T00:00:00Z', Date.parse('2026-11-29T10:00:20Z'))).toBe(Date.parse('2026-12-01T00:00:00Z'));
  });
});
