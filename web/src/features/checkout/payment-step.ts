import type { Order } from '@/types/api';

export type PaymentStep = { kind: 'confirm'; balance: number } | { kind: 'top_up'; balance: number; shortfall: number };

// What a pending order needs next. The order's own `next` and `shortfall` hold while the balance is
// what it was when the order was read; once the customer has topped up (the balance moved), the
// freshest balance decides.
export function paymentStep(order: Order, freshBalance: number | null): PaymentStep {
  const balance = freshBalance ?? order.balance ?? 0;
  const sameBalance = freshBalance === null || freshBalance === order.balance;
  if (sameBalance && order.next === 'top_up') {
    return { kind: 'top_up', balance, shortfall: order.shortfall ?? Math.max(1, order.total - balance) };
  }
  if (sameBalance && order.next === 'confirm') return { kind: 'confirm', balance };
  if (balance >= order.total) return { kind: 'confirm', balance };
  return { kind: 'top_up', balance, shortfall: order.total - balance };
}
