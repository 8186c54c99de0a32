import { cardFixture } from '@/testing/fixtures';
import type { Cart, Card } from '@/types/api';
import { checkoutTotal, linesFromCart, orderRequest, quoteKey, startProblem } from './checkout-lines';
import { paymentStep } from './payment-step';

const card = (id: number, title: string): Card => cardFixture(id, title, '2027-02-01T00:00:00Z');

const now = Date.parse('2026-11-28T12:00:00Z');
const tz = 'Europe/Moscow';

describe('checkout total', () => {
  const lines = [
    { premiereId: 1, period: 12 },
    { premiereId: 2, period: 48 },
  ];

  it('adds the quotes of the chosen periods', () => {
    const quotes = { [quoteKey(1, 12)]: 47920, [quoteKey(2, 48)]: 71880, [quoteKey(1, 24)]: 99999 };
    expect(checkoutTotal(lines, quotes)).toBe(119800);
  });

  it('follows a period change to its own quote', () => {
    const quotes = { [quoteKey(1, 12)]: 47920, [quoteKey(1, 24)]: 59900, [quoteKey(2, 48)]: 71880 };
    expect(checkoutTotal([{ premiereId: 1, period: 24 }, lines[1]], quotes)).toBe(131780);
  });

  it('is unknown while a quote is missing, and zero for nothing', () => {
    expect(checkoutTotal(lines, { [quoteKey(1, 12)]: 47920 })).toBeNull();
    expect(checkoutTotal([], {})).toBe(0);
  });
});

describe('checkout lines', () => {
  const cart: Cart = {
    items: [
      { id: 10, premiere: card(1, 'Маузер'), period: 12, starts_at: null, price: 47920, show: null },
      { id: 11, premiere: card(2, 'Чайка'), period: 7, starts_at: '2026-12-01T16:00:00Z', price: 59900, show: null },
    ],
    total: 107820,
  };

  it('starts when paid by default, keeps a saved start, and replaces a period no longer allowed', () => {
    const lines = linesFromCart(cart, tz, now);
    expect(lines[0]).toMatchObject({ premiereId: 1, period: 12, startNow: true, start: '2026-11-28T15:10' });
    expect(lines[1]).toMatchObject({ premiereId: 2, period: 24, startNow: false, start: '2026-12-01T19:00' });
  });

  it('offers a chosen start only for a premiere that cannot be watched yet', () => {
    const later: Cart = {
      items: [{ id: 12, premiere: { ...card(3, 'Вишнёвый сад'), reservation: { ...card(3, '').reservation, from: '2026-12-05T17:00:00Z' } }, period: 24, starts_at: null, price: 59900, show: null }],
      total: 59900,
    };
    expect(linesFromCart(later, tz, now)[0]).toMatchObject({ startNow: false, start: '2026-12-05T20:00' });
  });

  it('sends a chosen start as a UTC instant read in the customer time zone, and none for a start when paid', () => {
    expect(orderRequest(linesFromCart(cart, tz, now), tz)).toEqual({
      items: [
        { premiere_id: 1, period: 12 },
        { premiere_id: 2, starts_at: '2026-12-01T16:00:00Z', period: 24 },
      ],
    });
    const chosen = linesFromCart(cart, tz, now).map((l) => ({ ...l, startNow: false }));
    expect(orderRequest(chosen, tz).items[0]).toEqual({ premiere_id: 1, starts_at: '2026-11-28T12:10:00Z', period: 12 });
  });

  it('sends a seat at a live show with its show and without a start, whatever the line says about starting', () => {
    const live: Cart = {
      items: [
        ...cart.items,
        {
          id: 13,
          premiere: card(3, 'Вишнёвый сад'),
          period: 48,
          starts_at: '2026-12-07T16:00:00Z',
          price: 83860,
          show: { id: 7, starts_at: '2026-12-07T16:00:00Z', seats_left: 2, status: 'on_sale' },
        },
      ],
      total: 191680,
    };
    const lines = linesFromCart(live, tz, now);
    expect(lines[2]).toMatchObject({ premiereId: 3, period: 48, startNow: false, show: { id: 7, startsAt: '2026-12-07T16:00:00Z' } });
    expect(lines[0].show).toBeUndefined();
    expect(startProblem(lines[2], tz, Date.parse('2027-01-01T00:00:00Z'))).toBeUndefined();
    const request = orderRequest(lines, tz);
    expect(request.items[2]).toEqual({ premiere_id: 3, period: 48, show_id: 7 });
    expect(request.items[2]).not.toHaveProperty('starts_at');
    // Even a line told to start at a chosen time, or when paid, stays the show's seat.
    expect(orderRequest([{ ...lines[2], startNow: true }], tz).items[0]).toEqual({ premiere_id: 3, period: 48, show_id: 7 });
    expect(request.items.slice(0, 2)).toEqual([
      { premiere_id: 1, period: 12 },
      { premiere_id: 2, starts_at: '2026-12-01T16:00:00Z', period: 24 },
    ]);
  });

  it('refuses a start in the past or outside the reservation window', () => {
    const window = { from: '2026-11-01T00:00:00Z', until: '2027-02-01T00:00:00Z' };
    expect(startProblem({ ...window, start: '2026-11-28T15:00' }, tz, now)).toBeUndefined();
    expect(startProblem({ ...window, start: '2026-11-28T14:00' }, tz, now)).toBe('Это время уже прошло');
    expect(startProblem({ ...window, start: '2027-02-01T03:01' }, tz, now)).toBe('Показ можно забронировать не позже 01.02.2027, 03:00');
    expect(startProblem({ from: '2026-12-01T00:00:00Z', until: window.until, start: '2026-11-30T10:00' }, tz, now)).toBe(
      'Показ можно забронировать не раньше 01.12.2026, 03:00',
    );
    expect(startProblem({ ...window, start: '' }, tz, now)).toBe('Укажите дату и время начала');
    expect(startProblem({ ...window, start: '', startNow: true }, tz, now)).toBeUndefined();
  });
});

describe('payment step', () => {
  const order = { id: 'o1', status: 'pending_payment' as const, items: [], total: 47920 };

  it('asks for a top-up of the shortfall when the balance is short', () => {
    expect(paymentStep({ ...order, balance: 0, next: 'top_up', shortfall: 47920 }, 0)).toEqual({ kind: 'top_up', balance: 0, shortfall: 47920 });
  });

  it('offers the debit once the customer is back from a top-up with enough money', () => {
    expect(paymentStep({ ...order, balance: 0, next: 'top_up', shortfall: 47920 }, 48000)).toEqual({ kind: 'confirm', balance: 48000 });
    expect(paymentStep(order, 50000)).toEqual({ kind: 'confirm', balance: 50000 });
  });

  it('keeps asking when the top-up did not cover it', () => {
    expect(paymentStep({ ...order, balance: 0, next: 'top_up', shortfall: 47920 }, 20000)).toEqual({ kind: 'top_up', balance: 20000, shortfall: 27920 });
  });
});
