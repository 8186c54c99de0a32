// Live shows (ADR 0027) in the customer's words: the seats left on a show, the buyers a cancellation refunded.
import type { Show } from '@/types/api';

// «Осталось мест: 3», or «Мест нет» for a show sold out.
export function seatsLabel(show: Pick<Show, 'status' | 'seats_left'>): string {
  return show.status === 'on_sale' && show.seats_left > 0 ? `Осталось мест: ${show.seats_left}` : 'Мест нет';
}

// Whether a seat can be bought on the show now.
export function onSale(show: Pick<Show, 'status' | 'seats_left'>): boolean {
  return show.status === 'on_sale' && show.seats_left > 0;
}

// What a cancelled show did for its buyers: «Отменено, деньги вернулись 2 покупателям» (1 покупателю, 21 покупателю).
export function cancellationLabel(refunded: number): string {
  if (refunded <= 0) return 'Отменено, мест никто не покупал';
  const one = refunded % 10 === 1 && refunded % 100 !== 11;
  return `Отменено, деньги вернулись ${refunded} ${one ? 'покупателю' : 'покупателям'}`;
}
