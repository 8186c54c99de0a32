// A customer as the staff's lookup returns it, for the staff feature's tests: one paid order of two rentals
// («Маузер» and «Чайка»), part of it refunded already.
import type { CustomerLookup, OrderHistoryItem, Rental, User } from '@/types/api';

export const ORDER_ID = '0193a1b2-0000-7000-8000-000000000004';

export const paidOrder: OrderHistoryItem = {
  id: ORDER_ID,
  status: 'paid',
  total: 107820,
  created_at: '2098-12-07T09:00:00Z',
  paid_at: '2098-12-07T09:00:02Z',
  items: [
    { premiere_id: 1, title: 'Маузер', period: 12, starts_at: '2098-12-07T09:00:02Z', ends_at: '2098-12-07T21:00:02Z', price: 47920 },
    { premiere_id: 2, title: 'Чайка', period: 24, starts_at: '2098-12-08T16:00:00Z', ends_at: '2098-12-09T16:00:00Z', price: 59900 },
  ],
  movements: [
    { kind: 'payment', amount: 107820, at: '2098-12-07T09:00:02Z', reason: 'Оплата заказа', receipt_url: `/api/v1/orders/${ORDER_ID}/receipts/payment` },
    { kind: 'refund', amount: 7820, at: '2098-12-07T12:00:00Z', reason: 'Плохо работал звук', receipt_url: `/api/v1/orders/${ORDER_ID}/receipts/refund-1` },
  ],
  paid: 107820,
  refunded: 7820,
};

const rental: Rental = {
  id: 31,
  premiere_id: 1,
  title: 'Маузер',
  poster_url: '/api/v1/premiere/1/poster.svg',
  starts_at: '2098-12-07T09:00:02Z',
  ends_at: '2098-12-07T21:00:02Z',
  period: 12,
  status: 'active',
  amount: 47920,
  order_id: ORDER_ID,
  show_id: null,
};

export const rentals: Rental[] = [
  rental,
  { ...rental, id: 32, premiere_id: 2, title: 'Чайка', starts_at: '2098-12-08T16:00:00Z', ends_at: '2098-12-09T16:00:00Z', period: 24, status: 'upcoming', amount: 59900 },
  // Another order's rental: not offered in this order's refund form.
  { ...rental, id: 40, title: 'Гамлет', order_id: '0193a1b2-0000-7000-8000-000000000009', status: 'expired' },
];

export const customer: CustomerLookup = {
  account: {
    id: '17',
    email: 'anna@example.ru',
    name: 'Анна Демина',
    phone: '+79991234567',
    time_zone: 'Asia/Vladivostok',
    role: 'customer',
    email_verified: true,
    created_at: '2098-11-01T07:00:00Z',
    consented_at: '2098-11-01T07:00:00Z',
  },
  sessions: [
    {
      device: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36',
      address: '203.0.113.7',
      created_at: '2098-12-07T08:00:00Z',
      last_seen_at: '2098-12-07T09:30:00Z',
    },
  ],
  premieres: { orders: [paidOrder], rentals, cart: { items: [], total: 0 } },
  billing: {
    balance: 12180,
    currency: 'RUB',
    transactions: [
      { id: 't-3', type: 'refund', amount: 7820, balance_after: 12180, order_id: ORDER_ID, premiere_id: null, created_at: '2098-12-07T12:00:00Z' },
      { id: 't-2', type: 'withdraw', amount: -107820, balance_after: 4360, order_id: ORDER_ID, premiere_id: null, created_at: '2098-12-07T09:00:02Z' },
      { id: 't-1', type: 'top_up', amount: 112180, balance_after: 112180, order_id: null, premiere_id: null, created_at: '2098-12-07T08:55:00Z' },
    ],
    payments: [{ id: 'p-1', amount: 112180, status: 'succeeded', decline_reason: null, created_at: '2098-12-07T08:54:00Z', updated_at: '2098-12-07T08:55:00Z' }],
  },
  notifications: {
    preferences: { email: true, sms: false, in_app: true, reminders: true },
    messages: [
      {
        channel: 'email',
        template: 'refund',
        recipient: 'anna@example.ru',
        subject: 'Возврат по заказу',
        text: 'Вернули 78,20 ₽ на баланс.',
        status: 'sent',
        created_at: '2098-12-07T12:00:00Z',
        sent_at: '2098-12-07T12:00:05Z',
      },
      {
        channel: 'sms',
        template: 'purchase_confirmed',
        recipient: '+79991234567',
        subject: 'Премьера оплачена',
        text: 'Оплачено.',
        status: 'failed',
        created_at: '2098-12-07T09:00:03Z',
        sent_at: null,
      },
    ],
    in_app: [],
  },
};

export const support: User = { id: '2', email: 'support@chance.local', name: 'Служба поддержки', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'support' };
export const admin: User = { ...support, id: '1', email: 'admin@chance.local', name: 'Администратор', role: 'admin' };
