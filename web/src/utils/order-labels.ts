import type { OrderHistoryItem, OrderMovement } from '@/types/api';

export const STATUS_LABEL: Record<OrderHistoryItem['status'], string> = {
  paid: 'Оплачен',
  pending_payment: 'Ожидает оплаты',
  expired: 'Срок оплаты истёк',
  cancelled: 'Отменён',
};

// The CSS modifier of a status label: "status-pending-payment".
export const statusClass = (status: OrderHistoryItem['status']) => `status-${status.replace(/_/g, '-')}`;

// The visible text of a movement's receipt link.
export const receiptLabel = (kind: OrderMovement['kind']) => (kind === 'refund' ? 'Чек возврата' : 'Чек');
