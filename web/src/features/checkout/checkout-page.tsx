import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import type { Cart, Order, Quote } from '@/lib/types';
import { ErrorMessage, Field, Loading } from '@/components/ui';
import { formatDateTime, formatMoney, fromLocalInput, hoursLabel, rublesToKopecks, toLocalInput } from '@/utils/format';
import { checkoutTotal } from './checkout-total';

type Line = { premiereId: number; title: string; periods: number[]; period: number; start: string; from: string; until: string };

function newKey() {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

export function CheckoutPage() {
  const session = useSession();
  const [params] = useSearchParams();
  const [lines, setLines] = useState<Line[] | null>(null);
  const [quotes, setQuotes] = useState<Record<number, number>>({});
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Order | null>(null);
  const [topUp, setTopUp] = useState('');
  const key = useRef(newKey());

  useEffect(() => {
    const orderId = params.get('order');
    if (orderId) {
      api<Order>('GET', `/orders/${orderId}`)
        .then((o) => {
          if (o.status === 'paid') setDone(o);
          else setOrder(o);
          void session.refreshCounters();
        })
        .catch(setError);
      return;
    }
    api<Cart>('GET', '/cart')
      .then((cart) => {
        const soon = new Date(Date.now() + 10 * 60 * 1000).toISOString();
        setLines(
          cart.items.map((i) => ({
            premiereId: i.premiere.id,
            title: i.premiere.title,
            periods: i.premiere.reservation.periods,
            period: i.period,
            start: toLocalInput(i.starts_at ?? soon, session.timeZone),
            from: i.premiere.reservation.from,
            until: i.premiere.reservation.until,
          })),
        );
      })
      .catch(setError);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [params]);

  const periodsKey = lines?.map((l) => `${l.premiereId}:${l.period}`).join(',');
  useEffect(() => {
    if (!lines) return;
    for (const l of lines) {
      api<Quote>('GET', `/rent/${l.premiereId}?period=${l.period}`)
        .then((q) => setQuotes((prev) => ({ ...prev, [l.premiereId]: q.total })))
        .catch(setError);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [periodsKey]);

  const total = useMemo(() => checkoutTotal((lines ?? []).map((l) => quotes[l.premiereId])), [lines, quotes]);

  useEffect(() => {
    if (order?.next === 'top_up' && order.shortfall) setTopUp((Math.ceil(order.shortfall / 100)).toString());
  }, [order]);

  const update = (i: number, patch: Partial<Line>) => {
    key.current = newKey();
    setLines((prev) => prev!.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { items: lines!.map((l) => ({ premiere_id: l.premiereId, period: l.period, starts_at: fromLocalInput(l.start, session.timeZone) })) };
      setOrder(await api<Order>('POST', '/orders', { body, headers: { 'Idempotency-Key': key.current } }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const paid = await api<Order>('POST', `/orders/${order!.id}/confirm`);
      setDone(paid);
      await session.refreshCounters();
    } catch (err) {
      if (err instanceof ApiError && err.status === 402) {
        setOrder({ ...order!, next: 'top_up', shortfall: Number(err.body.shortfall), balance: Number(err.body.balance) });
      }
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fill = async (e: FormEvent) => {
    e.preventDefault();
    const summ = rublesToKopecks(topUp);
    if (summ === null || summ <= 0) {
      setError(new ApiError(400, { detail: 'Введите сумму в рублях' }));
      return;
    }
    setBusy(true);
    try {
      const r = await api<{ confirmation_url: string }>('POST', '/billing/fill', {
        body: { summ, return_url: `/checkout?order=${order!.id}` },
      });
      window.location.assign(r.confirmation_url);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section>
        <h1>Премьера оплачена</h1>
        <p className="success" role="status">
          Списано {formatMoney(done.total)}. Письмо с подтверждением и сроком действия уже в пути.
        </p>
        <p>
          <Link to="/rentals">Перейти в «Мои премьеры»</Link>
        </p>
      </section>
    );
  }

  if (order) {
    const balance = order.balance ?? 0;
    return (
      <section>
        <h1>Оформление заказа</h1>
        <ul className="order-lines">
          {order.items.map((i) => (
            <li key={i.premiere_id}>
              «{i.title}» — {hoursLabel(i.period)}, с {formatDateTime(i.starts_at, session.timeZone)} до{' '}
              {formatDateTime(i.ends_at, session.timeZone)}: {formatMoney(i.price)}
            </li>
          ))}
        </ul>
        <ErrorMessage error={error} />
        {order.next === 'top_up' ? (
          <form className="panel" onSubmit={fill} aria-label="Пополнить баланс">
            <h2>Пополнить баланс</h2>
            <p>
              На балансе {formatMoney(balance)}, к оплате {formatMoney(order.total)}. Не хватает{' '}
              <b>{formatMoney(order.shortfall ?? 0)}</b>.
            </p>
            <Field label="Сумма пополнения, ₽" id="topup">
              <input id="topup" inputMode="decimal" value={topUp} onChange={(e) => setTopUp(e.target.value)} required />
            </Field>
            <button type="submit" className="primary" disabled={busy}>
              Пополнить баланс
            </button>
          </form>
        ) : (
          <div className="panel" aria-label="Подтверждение списания">
            <h2>Подтверждение списания</h2>
            <dl className="prices">
              <dt>Баланс сейчас</dt>
              <dd>{formatMoney(balance)}</dd>
              <dt>Будет списано</dt>
              <dd>{formatMoney(order.total)}</dd>
              <dt>Останется</dt>
              <dd>{formatMoney(balance - order.total)}</dd>
            </dl>
            <button type="button" className="primary" onClick={() => void confirm()} disabled={busy}>
              Подтвердить списание
            </button>
          </div>
        )}
      </section>
    );
  }

  if (!lines) return error ? <ErrorMessage error={error} /> : <Loading />;
  if (lines.length === 0)
    return (
      <p>
        Корзина пуста. <Link to="/">Выберите премьеру</Link>
      </p>
    );
  const fieldError = (i: number, f: string) => (error instanceof ApiError ? error.fieldError(`items[${i}].${f}`) : undefined);
  return (
    <section>
      <h1>Оформление заказа</h1>
      <form onSubmit={submit}>
        {lines.map((l, i) => (
          <fieldset key={l.premiereId} className="panel">
            <legend>{l.title}</legend>
            <Field label="Начало просмотра" id={`start-${i}`} error={fieldError(i, 'starts_at')}>
              <input
                id={`start-${i}`}
                type="datetime-local"
                value={l.start}
                min={toLocalInput(new Date().toISOString(), session.timeZone)}
                max={toLocalInput(l.until, session.timeZone)}
                onChange={(e) => update(i, { start: e.target.value })}
                required
              />
            </Field>
            <Field label="Срок" id={`period-${i}`} error={fieldError(i, 'period')}>
              <select id={`period-${i}`} value={l.period} onChange={(e) => update(i, { period: Number(e.target.value) })}>
                {l.periods.map((h) => (
                  <option key={h} value={h}>
                    {hoursLabel(h)}
                  </option>
                ))}
              </select>
            </Field>
            <p className="muted">
              Цена: {quotes[l.premiereId] !== undefined ? formatMoney(quotes[l.premiereId]) : '…'} · время указано для часового пояса{' '}
              {session.timeZone}
            </p>
          </fieldset>
        ))}
        <p className="total" data-testid="checkout-total">
          Итого: <b>{total === null ? '…' : formatMoney(total)}</b>
        </p>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy || total === null}>
          Продолжить
        </button>
      </form>
    </section>
  );
}
