import { cancellationLabel, onSale, seatsLabel } from './shows';

describe('live shows in words', () => {
  it('says how many seats are left, or that there are none', () => {
    expect(seatsLabel({ status: 'on_sale', seats_left: 3 })).toBe('Осталось мест: 3');
    expect(seatsLabel({ status: 'sold_out', seats_left: 0 })).toBe('Мест нет');
    expect(seatsLabel({ status: 'on_sale', seats_left: 0 })).toBe('Мест нет');
    expect(onSale({ status: 'on_sale', seats_left: 1 })).toBe(true);
    expect(onSale({ status: 'sold_out', seats_left: 0 })).toBe(false);
  });

  it('counts the refunded buyers in the right case', () => {
    expect(cancellationLabel(1)).toBe('Отменено, деньги вернулись 1 покупателю');
    expect(cancellationLabel(3)).toBe('Отменено, деньги вернулись 3 покупателям');
    expect(cancellationLabel(11)).toBe('Отменено, деньги вернулись 11 покупателям');
    expect(cancellationLabel(21)).toBe('Отменено, деньги вернулись 21 покупателю');
    expect(cancellationLabel(0)).toBe('Отменено, мест никто не покупал');
  });
});
