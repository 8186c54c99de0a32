import { useSearchParams } from 'react-router-dom';
import { api } from '@/lib/api-client';
import { useQuery } from '@/lib/use-query';
import { formatMoney } from '@/utils/money';

type PaymentStatus = { payment_id: string; amount: number; status: string; decline_reason: string | null };

// Back from the payment page (?payment=<id>): say how the payment ended, next to where the customer is.
export function PaymentResult() {
  const [params] = useSearchParams();
  const id = params.get('payment');
  const payment = useQuery(
    (signal) => (id ? api<PaymentStatus>('GET', `/billing/payments/${encodeURIComponent(id)}`, { signal }) : Promise.resolve(null)),
    [id],
  );
  const p = payment.data;
  if (!id || !p) return null;
  if (p.status === 'succeeded')
    return (
      <p className="success" role="status">
        Баланс пополнен на {formatMoney(p.amount)}.
      </p>
    );
  if (p.status === 'declined')
    return (
      <p className="alert alert-error" role="alert">
        Оплата {formatMoney(p.amount)} не прошла: {p.decline_reason || 'банк отклонил платёж'}. Деньги не списаны — попробуйте другую карту.
      </p>
    );
  return (
    <p className="hint" role="status">
      Платёж на {formatMoney(p.amount)} ещё обрабатывается.
    </p>
  );
}
