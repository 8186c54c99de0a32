// The checkout form's model, free of React: one line per cart item with when it starts — as soon as
// the payment is confirmed («Начать сразу», the default when the premiere can be watched already), or
// at a start the customer picked (datetime-local wall-clock time in their zone) — and the period. A seat at a live
// show (ADR 0027) starts with its show: its start is not the customer's to choose.
import type { Cart } from '@/types/api';
import { bookingStartProblem, fromLocalInput, toLocalInput } from '@/utils/dates';
import type { OrderRequest } from './api/create-order';

export type CheckoutLine = {
  premiereId: number;
  title: string;
  periods: number[];
  period: number;
  startNow: boolean;
  start: string;
  from: string;
  until: string;
  // A seat at this live show: the order names the show, never a start.
  show?: { id: number; startsAt: string };
};

// A start the customer is offered to pick is a little ahead of now so that filling in the form does
// not make it stale.
const START_LEAD_MS = 10 * 60 * 1000;

export function linesFromCart(cart: Cart, timeZone: string, now: number = Date.now()): CheckoutLine[] {
  return cart.items.map((item) => {
    const { reservation } = item.premiere;
    const period = reservation.periods.includes(item.period) ? item.period : reservation.default_period;
    if (item.show) {
      return {
        premiereId: item.premiere.id,
        title: item.premiere.title,
        periods: reservation.periods,
        period,
        startNow: false,
        start: toLocalInput(item.show.starts_at, timeZone),
        from: reservation.from,
        until: reservation.until,
        show: { id: item.show.id, startsAt: item.show.starts_at },
      };
    }
    const saved = item.starts_at ? Date.parse(item.starts_at) : NaN;
    const opens = Date.parse(reservation.from);
    const earliest = Math.max(now + START_LEAD_MS, opens);
    const start = saved >= now ? saved : earliest;
    return {
      premiereId: item.premiere.id,
      title: item.premiere.title,
      periods: reservation.periods,
      period,
      // A start saved in the cart is kept; a premiere not yet open for watching has to be given one.
      startNow: !(saved >= now) && opens <= now,
      start: toLocalInput(start, timeZone),
      from: reservation.from,
      until: reservation.until,
    };
  });
}

export const quoteKey = (premiereId: number, period: number) => `${premiereId}:${period}`;

// The live total: the sum of the quotes for the chosen periods, or null while one is still missing.
export function checkoutTotal(lines: Pick<CheckoutLine, 'premiereId' | 'period'>[], quotes: Record<string, number>): number | null {
  let total = 0;
  for (const line of lines) {
    const q = quotes[quoteKey(line.premiereId, line.period)];
    if (q === undefined) return null;
    total += q;
  }
  return total;
}

// Why a chosen start cannot be booked, in Russian, or undefined when it can (or the line starts when
// paid, or is a seat at a live show). The back end checks the same (with a few minutes of grace for "in the
// past"); this only saves a round trip.
export function startProblem(
  line: Pick<CheckoutLine, 'start' | 'from' | 'until'> & Pick<Partial<CheckoutLine>, 'startNow' | 'show'>,
  timeZone: string,
  now: number = Date.now(),
): string | undefined {
  if (line.startNow || line.show) return undefined;
  // The input has minute precision: a start within the current minute is not "in the past".
  return bookingStartProblem(line.start, line, timeZone, now, 60 * 1000);
}

// A line that starts when paid is sent without a start: the store opens its window at the payment. A seat at a live
// show is sent with its show and without a start (the store refuses both together).
export function orderRequest(lines: CheckoutLine[], timeZone: string): OrderRequest {
  return {
    items: lines.map((l) =>
      l.show
        ? { premiere_id: l.premiereId, period: l.period, show_id: l.show.id }
        : l.startNow
          ? { premiere_id: l.premiereId, period: l.period }
          : { premiere_id: l.premiereId, starts_at: fromLocalInput(l.start, timeZone), period: l.period },
    ),
  };
}
