import { useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { topUp } from '@/api/top-up';
import { PaymentResult } from '@/components/payment-result';
import { TopUpForm } from '@/components/top-up-form';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { ApiError } from '@/lib/api-client';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import type { Order } from '@/types/api';
import { formatMoney, shortfallToRubles } from '@/utils/money';
import { confirmOrder } from '../api/confirm-order';
import { getOrder } from '../api/get-order';
import { paymentStep } from '../payment-step';
import { CheckoutSuccess } from './checkout-success';
import { DebitConfirmation } from './debit-confirmation';
import { OrderLines } from '@/components/order-lines';

// A created order: the debit confirmation, or the top-up detour through the payment page that brings
// the customer back to /checkout?order=ID.
export function OrderPayment({ orderId }: { orderId: string }) {
  const session = useSession();
  const location = useLocation();
  const handed = (location.state as { order?: Order } | null)?.order;
  const order = useQuery((signal) => (handed?.id === orderId ? Promise.resolve(handed) : getOrder(orderId, signal)), [orderId]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // A 402 on confirm knows the balance better than anything else on the page.
  const [refused, setRefused] = useState<{ balance: number; shortfall: number } | null>(null);

  if (!order.data) {
    return (
      <section>
        <h1>Оформление заказа</h1>
        {order.error ? <ErrorMessage error={order.error} onRetry={() => void order.reload()} /> : <Loading label="Загружаем заказ…" />}
      </section>
    );
  }
  const current = order.data;
  if (current.status === 'paid') return <CheckoutSuccess order={current} timeZone={session.timeZone} />;
  if (current.status !== 'pending_payment') {
    return (
      <section>
        <h1>Заказ {current.status === 'expired' ? 'истёк' : 'отменён'}</h1>
        {/* Why, when this page's confirmation ended it (a live show's seats went after the debit: money returned). */}
        <ErrorMessage error={error} />
        <p>
          Оплатить его уже нельзя. <Link to="/cart">Вернуться в корзину</Link>
        </p>
      </section>
    );
  }

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      order.setData(await confirmOrder(current.id));
      await session.refreshCounters();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.status === 402) {
        setRefused({ balance: Number(err.body.balance) || 0, shortfall: Number(err.body.shortfall) || current.total });
        void session.refreshCounters();
      } else if (err instanceof ApiError && err.status === 409) {
        // The price changed, or a live show's seats went (the order may have been closed and the money returned).
        await Promise.all([order.reload(), session.refreshCounters()]);
      }
    } finally {
      setBusy(false);
    }
  };

  const fill = async (kopecks: number) => {
    const payment = await topUp(kopecks, `/checkout?order=${encodeURIComponent(current.id)}`);
    window.location.assign(payment.confirmation_url);
  };

  const step = refused ? { kind: 'top_up' as const, ...refused } : paymentStep(current, session.balance);
  // A seat at a live show sold out before anything was debited: this order cannot be paid, the cart has to change.
  const soldOut = error instanceof ApiError && error.status === 409 && String(error.body.type ?? '').endsWith('sold-out');
  return (
    <section>
      <h1>Оформление заказа</h1>
      <PaymentResult />
      <OrderLines items={current.items} pending={current.status === 'pending_payment'} timeZone={session.timeZone} />
      <p className="total">
        К оплате: <b>{formatMoney(current.total)}</b>
      </p>
      {!(error instanceof ApiError && error.status === 402) && !soldOut && <ErrorMessage error={error} />}
      {soldOut ? (
        <p className="alert alert-error" role="alert">
          <span>
            Мест на показ не осталось, деньги не списаны. Удалите его из корзины и оформите заказ заново. <Link to="/cart">Вернуться в корзину</Link>
          </span>
        </p>
      ) : step.kind === 'confirm' ? (
        <DebitConfirmation balance={step.balance} total={current.total} busy={busy} onConfirm={() => void confirm()} />
      ) : (
        <TopUpForm key={step.shortfall} initialRubles={shortfallToRubles(step.shortfall)} label="Сумма пополнения, ₽" onSubmit={fill}>
          <p>
            На балансе {formatMoney(step.balance)}, к оплате {formatMoney(current.total)}. Не хватает <b>{formatMoney(step.shortfall)}</b>.
          </p>
        </TopUpForm>
      )}
    </section>
  );
}
