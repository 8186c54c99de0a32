// Live shows (ADR 0027) in the customer's words: the seats left on a show, the buyers a cancellation refunded.
import type { CartShow, Show } from '@/types/api';

// «Осталось мест: 3», or «Мест нет» for a show sold out.
export function seatsLabel(show: Pick<Show, 'status' | 'seats_left'>): string {
  return show.status === 'on_sale' && show.seats_left > 0 ? `Осталось мест: ${show.seats_left}` : 'Мест нет';
}

// Whether a seat can be bought on the show now.
export function onSale(show: Pick<Show, 'status' | 'seats_left'>): boolean {
  return show.status === 'on_sale' && show.seats_left > 0;
}

// A seat waiting in the cart: «Осталось мест: 3», «Мест нет», «Показ отменён» or «Показ уже начался» (the cart holds
// no seat, so any of these may have come to pass since it was added).
export function cartSeatsLabel(show: Pick<CartShow, 'status' | 'seats_left'>): string {
  if (show.status === 'cancelled') return 'Показ отменён';
  if (show.status === 'started') return 'Показ уже начался';
  return seatsLabel({ status: show.status, seats_left: show.seats_left });
}

// Whether a seat waiting in the cart can still be bought: the order cannot be placed while one cannot.
export function cartSeatOpen(show: Pick<CartShow, 'status' | 'seats_left'>): boolean {
  return show.status === 'on_sale' && show.seats_left > 0;
}

function buyers(n: number): string {
  return `${n} ${n % 10 === 1 && n % 100 !== 11 ? 'покупателю' : 'покупателям'}`;
}

// What a cancelled show did for its buyers: «Отменено, деньги вернулись 2 покупателям» (1 покупателю, 21 покупателю),
// and those billing has not refunded yet: «…, ещё 1 покупателю вернутся в течение минуты».
export function cancellationLabel(refunded: number, pending = 0): string {
  if (refunded <= 0 && pending <= 0) return 'Отменено, мест никто не покупал';
  const later = pending > 0 ? `${buyers(pending)} вернутся в течение минуты` : '';
  if (refunded <= 0) return `Отменено, деньги ${later}`;
  return `Отменено, деньги вернулись ${buyers(refunded)}${later ? `, ещё ${later}` : ''}`;
}
