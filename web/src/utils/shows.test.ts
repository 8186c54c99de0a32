import { cancellationLabel, cartSeatOpen, cartSeatsLabel, onSale, seatsLabel } from './shows';

describe('live shows in words', () => {
  it('says how many seats are left, or that there are none', () => {
    expect(seatsLabel({ status: 'on_sale', seats_left: 3 })).toBe('Осталось мест: 3');
    expect(seatsLabel({ status: 'sold_out', seats_left: 0 })).toBe('Мест нет');
    expect(seatsLabel({ status: 'on_sale', seats_left: 0 })).toBe('Мест нет');
    expect(onSale({ status: 'on_sale', seats_left: 1 })).toBe(true);
    expect(onSale({ status: 'sold_out', seats_left: 0 })).toBe(false);
  });

  it('says what became of a seat waiting in the cart, and whether it can still be bought', () => {
    expect(cartSeatsLabel({ status: 'on_sale', seats_left: 2 })).toBe('Осталось мест: 2');
    expect(cartSeatsLabel({ status: 'sold_out', seats_left: 0 })).toBe('Мест нет');
    expect(cartSeatsLabel({ status: 'cancelled', seats_left: 3 })).toBe('Показ отменён');
    expect(cartSeatsLabel({ status: 'started', seats_left: 3 })).toBe('Показ уже начался');
    expect(cartSeatOpen({ status: 'on_sale', seats_left: 2 })).toBe(true);
    expect(cartSeatOpen({ status: 'on_sale', seats_left: 0 })).toBe(false);
    for (const status of ['sold_out', 'cancelled', 'started'] as const) expect(cartSeatOpen({ status, seats_left: 1 })).toBe(false);
  });

  it('counts the refunded buyers in the right case', () => {
    expect(cancellationLabel(1)).toBe('Отменено, деньги вернулись 1 покупателю');
    expect(cancellationLabel(3)).toBe('Отменено, деньги вернулись 3 покупателям');
    expect(cancellationLabel(11)).toBe('Отменено, деньги вернулись 11 покупателям');
    expect(cancellationLabel(21)).toBe('Отменено, деньги вернулись 21 покупателю');
    expect(cancellationLabel(0)).toBe('Отменено, мест никто не покупал');
    expect(cancellationLabel(2, 1)).toBe('Отменено, деньги вернулись 2 покупателям, ещё 1 покупателю вернутся в течение минуты');
    expect(cancellationLabel(0, 3)).toBe('Отменено, деньги 3 покупателям вернутся в течение минуты');
  });
});
