import type { CustomerQuery } from './api/find-customer';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const EMPTY_QUERY = 'Введите почту покупателя или номер заказа';
export const UNKNOWN_QUERY = 'Это не почта и не номер заказа. Почта — с @ (anna@example.ru), номер заказа — как в письме о покупке (0193a1b2-…)';

// «Почта или номер заказа» → what to look the customer up by: a value with '@' is an address, a UUID an order
// number (as the purchase email and «Мои заказы» show it); anything else is a message for the field.
export function parseCustomerQuery(input: string): CustomerQuery | { problem: string } {
  const value = input.trim();
  if (!value) return { problem: EMPTY_QUERY };
  if (value.includes('@')) return { email: value };
  if (UUID.test(value)) return { order: value.toLowerCase() };
  return { problem: UNKNOWN_QUERY };
}
