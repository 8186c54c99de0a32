import type { CustomerMessage, CustomerPayment, Role } from '@/types/api';

export const ROLES: Role[] = ['customer', 'support', 'admin', 'theatre_staff'];

export const ROLE_LABEL: Record<Role, string> = {
  customer: 'Покупатель',
  support: 'Поддержка',
  admin: 'Администратор',
  theatre_staff: 'Сотрудник театра',
};

export const PAYMENT_STATUS: Record<CustomerPayment['status'], string> = {
  pending: 'Ожидает оплаты',
  awaiting_confirmation: 'Ждёт подтверждения',
  succeeded: 'Зачислен',
  declined: 'Отклонён',
};

export const MESSAGE_STATUS: Record<CustomerMessage['status'], string> = {
  pending: 'В очереди',
  sending: 'Отправляется',
  sent: 'Отправлено',
  failed: 'Не доставлено',
};

export const CHANNEL_LABEL: Record<CustomerMessage['channel'], string> = { email: 'Почта', sms: 'SMS' };

// A value the server may add later is shown as it is.
export const label = <K extends string>(labels: Record<K, string>, key: string): string => labels[key as K] ?? key;
