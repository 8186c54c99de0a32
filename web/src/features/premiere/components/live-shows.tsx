import { useId, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { topUp } from '@/api/top-up';
import { TopUpForm } from '@/components/top-up-form';
import { ErrorMessage } from '@/components/ui/error-message';
import { InlineConfirm } from '@/components/ui/inline-confirm';
import { ApiError } from '@/lib/api-client';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import type { Show } from '@/types/api';
import { formatDateTime } from '@/utils/dates';
import { newIdempotencyKey } from '@/utils/idempotency-key';
import { formatMoney, shortfallToRubles } from '@/utils/money';
import { hoursLabel } from '@/utils/periods';
import { onSale, seatsLabel } from '@/utils/shows';
import { addShowToCart } from '../api/add-to-cart';
import { getShows } from '../api/get-shows';
import { rentShow } from '../api/rent-show';

// How the last purchase ended: bought, the balance short (top up and come back here), the show sold out meanwhile,
// or anything else (a cancelled or started show: the 422's words).
type Outcome =
  | { kind: 'bought'; startsAt: string }
  | { kind: 'short'; shortfall: number }
  | { kind: 'sold-out' }
  | { kind: 'error'; error: unknown; text?: string };

const SHOW_FIELD = 'items[0].show_id';

// How the last «В корзину» of a show ended, said in that show's row: the seat is in the cart (for the period it was
// added for), no seat is left, or refused (a cancelled or started show: the 422's words).
type CartNote =
  | { kind: 'added'; showId: number; startsAt: string; period: number }
  | { kind: 'sold-out'; showId: number }
  | { kind: 'error'; showId: number; error: unknown; text?: string };

const isSoldOut = (e: unknown) => e instanceof ApiError && e.status === 409 && String(e.body.type ?? '').endsWith('sold-out');

// «Прямые трансляции» (ADR 0027): the premiere's upcoming live shows with the online seats left. «Купить место» asks
// inline, with the price of the period chosen in the panel, then buys the seat from the balance (POST /rent/ with the
// show): the rental starts with the show and lasts that period. «В корзину» puts a seat for that period in the cart
// instead (nothing is held until the order is paid). Visitors sign in first, as for the cart.
export function LiveShows({ premiereId, period, price }: { premiereId: number; period: number; price: number | undefined }) {
  const navigate = useNavigate();
  const session = useSession();
  const headingId = useId();
  const shows = useQuery((signal) => getShows(premiereId, signal), [premiereId]);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [carting, setCarting] = useState<number | null>(null);
  const [cartNote, setCartNote] = useState<CartNote | null>(null);
  // One key per purchase attempt: kept while the same seat on the same period is retried after a lost answer,
  // renewed once the store has answered.
  const attempt = useRef<{ what: string; key: string } | null>(null);

  const signIn = () => navigate(`/login?next=${encodeURIComponent(`/premiere/${premiereId}`)}`);

  const ask = (show: Show) => {
    if (!session.user) {
      signIn();
      return;
    }
    setOutcome(null);
    setCartNote(null);
    setConfirming(show.id);
  };

  const toCart = async (show: Show) => {
    if (!session.user) {
      signIn();
      return;
    }
    setCarting(show.id);
    setOutcome(null);
    setCartNote(null);
    try {
      await addShowToCart(premiereId, period, show.id);
      setCartNote({ kind: 'added', showId: show.id, startsAt: show.starts_at, period });
      await session.refreshCounters();
    } catch (e) {
      if (isSoldOut(e)) {
        setCartNote({ kind: 'sold-out', showId: show.id });
      } else {
        const text = e instanceof ApiError ? (e.fieldError('show_id') ?? e.fieldError('starts_at') ?? e.fieldError('period')) : undefined;
        setCartNote({ kind: 'error', showId: show.id, error: e, text });
      }
      // The store answered: the list as it is now (a show sold out, cancelled or started meanwhile).
      if (e instanceof ApiError && e.status !== 0) void shows.reload();
    } finally {
      setCarting(null);
    }
  };

  const buy = async (show: Show) => {
    const what = `${show.id}:${period}`;
    if (attempt.current?.what !== what) attempt.current = { what, key: newIdempotencyKey() };
    setBusy(true);
    setOutcome(null);
    try {
      await rentShow(premiereId, period, show.id, attempt.current.key);
      attempt.current = null;
      setConfirming(null);
      setOutcome({ kind: 'bought', startsAt: show.starts_at });
      await Promise.all([shows.reload(), session.refreshCounters()]);
    } catch (e) {
      const answered = e instanceof ApiError && e.status !== 0;
      if (answered) {
        attempt.current = null;
        setConfirming(null);
      }
      if (e instanceof ApiError && e.status === 402) {
        setOutcome({ kind: 'short', shortfall: Number(e.body.shortfall) || price || 0 });
        void session.refreshCounters();
      } else if (isSoldOut(e)) {
        setOutcome({ kind: 'sold-out' });
        void shows.reload();
      } else {
        setOutcome({ kind: 'error', error: e, text: e instanceof ApiError ? e.fieldError(SHOW_FIELD) : undefined });
        if (answered) void shows.reload();
      }
    } finally {
      setBusy(false);
    }
  };

  const fill = async (kopecks: number) => {
    const payment = await topUp(kopecks, `/premiere/${premiereId}`);
    window.location.assign(payment.confirmation_url);
  };

  const items = shows.data ?? [];
  // Nothing to say about a premiere without upcoming shows (or before they are known).
  if (!shows.error && items.length === 0 && !outcome && !cartNote) return null;
  const when = (iso: string) => formatDateTime(iso, session.timeZone);
  // The note of the last «В корзину»; a seat in the cart is said for the period it was added for only.
  const noteView = (n: CartNote) => {
    if (n.kind === 'added') {
      return n.period === period ? (
        <p className="success" role="status">
          Место на показ {when(n.startsAt)} в корзине. Оно станет вашим после оплаты заказа. <Link to="/cart">Перейти в корзину</Link>
        </p>
      ) : null;
    }
    const text = n.kind === 'sold-out' ? 'Мест на этот показ не осталось' : n.text;
    return text ? (
      <p className="alert alert-error" role="alert">
        {text}
      </p>
    ) : (
      <ErrorMessage error={n.kind === 'error' ? n.error : null} />
    );
  };
  const note = cartNote && noteView(cartNote);
  // A show no longer listed (cancelled or started meanwhile) has its note under the list.
  const noteShown = cartNote && items.some((show) => show.id === cartNote.showId);
  return (
    <section className="live-shows" aria-labelledby={headingId}>
      <h2 id={headingId}>Прямые трансляции</h2>
      <p className="muted">Место покупается на выбранный срок аренды: просмотр начнётся вместе с показом.</p>
      <ErrorMessage error={shows.error} onRetry={() => void shows.reload()} />
      {items.length > 0 && (
        <ul className="shows">
          {items.map((show) => (
            <li key={show.id} className="show" data-testid="show">
              <time dateTime={show.starts_at} className="show-time">
                {when(show.starts_at)}
              </time>
              <span className={onSale(show) ? 'show-seats' : 'show-seats show-sold-out'} data-testid="seats-left">
                {seatsLabel(show)}
              </span>
              {onSale(show) &&
                (confirming === show.id ? (
                  <InlineConfirm
                    question={
                      price === undefined
                        ? `Купить место на показ ${when(show.starts_at)} на ${hoursLabel(period)}?`
                        : `Купить место на показ ${when(show.starts_at)} на ${hoursLabel(period)} за ${formatMoney(price)}?`
                    }
                    confirmLabel="Да, купить"
                    busyLabel="Покупаем…"
                    busy={busy}
                    confirmDisabled={price === undefined}
                    onConfirm={() => void buy(show)}
                    onCancel={() => setConfirming(null)}
                  >
                    {price === undefined && <span className="muted"> Считаем стоимость…</span>}
                  </InlineConfirm>
                ) : (
                  <>
                    <button type="button" onClick={() => ask(show)} disabled={busy}>
                      Купить место
                    </button>
                    <button type="button" onClick={() => void toCart(show)} disabled={busy || carting !== null} aria-busy={carting === show.id}>
                      В корзину
                    </button>
                  </>
                ))}
              {cartNote?.showId === show.id && note}
            </li>
          ))}
        </ul>
      )}
      {!noteShown && note}
      {outcome?.kind === 'bought' && (
        <p className="success" role="status">
          Место куплено: показ {when(outcome.startsAt)}. <Link to="/rentals">Мои премьеры</Link>
        </p>
      )}
      {outcome?.kind === 'sold-out' && (
        <p className="alert alert-error" role="alert">
          Мест больше нет: пока вы выбирали, их раскупили.
        </p>
      )}
      {outcome?.kind === 'error' &&
        (outcome.text ? (
          <p className="alert alert-error" role="alert">
            {outcome.text}
          </p>
        ) : (
          <ErrorMessage error={outcome.error} />
        ))}
      {outcome?.kind === 'short' && (
        <TopUpForm key={outcome.shortfall} initialRubles={shortfallToRubles(outcome.shortfall)} label="Сумма пополнения, ₽" onSubmit={fill}>
          <p role="alert">
            На балансе не хватает <b>{formatMoney(outcome.shortfall)}</b>. Пополните баланс и купите место снова.
          </p>
        </TopUpForm>
      )}
    </section>
  );
}
