import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { getQuote } from '@/api/get-quote';
import { ErrorMessage } from '@/components/ui/error-message';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import type { Premiere } from '@/types/api';
import { formatMoney } from '@/utils/money';
import { hoursLabel } from '@/utils/periods';
import { addToCart } from '../api/add-to-cart';
import { LiveShows } from './live-shows';

// Choose a period, see its live price, add to the cart (anonymous visitors sign in first); or buy a seat on one of
// the premiere's live shows for that period at that price.
export function RentPanel({ premiere }: { premiere: Premiere }) {
  const navigate = useNavigate();
  const session = useSession();
  const [period, setPeriod] = useState(premiere.reservation.default_period);
  const quote = useQuery((signal) => getQuote(premiere.id, period, signal), [premiere.id, period]);
  const [added, setAdded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const price = quote.data && quote.data.period === period ? quote.data.total : undefined;

  const add = async () => {
    if (!session.user) {
      navigate(`/login?next=${encodeURIComponent(`/premiere/${premiere.id}`)}`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await addToCart(premiere.id, period);
      setAdded(true);
      await session.refreshCounters();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel rent-panel">
      <fieldset className="periods">
        <legend>Срок аренды</legend>
        {premiere.reservation.periods.map((h) => (
          <label key={h} className={h === period ? 'chip chip-on' : 'chip'}>
            <input
              type="radio"
              name="period"
              value={h}
              checked={period === h}
              onChange={() => {
                setPeriod(h);
                setAdded(false);
              }}
            />
            {hoursLabel(h)}
          </label>
        ))}
      </fieldset>
      <p className="quote" aria-live="polite">
        {quote.data && quote.data.period === period ? (
          <span data-testid="quote">
            Стоимость: <b>{formatMoney(quote.data.total)}</b>
            {quote.data.discount > 0 && (
              <span className="muted">
                {' '}
                вместо <s>{formatMoney(quote.data.base)}</s>, скидка {formatMoney(quote.data.discount)}
              </span>
            )}
          </span>
        ) : quote.error ? null : (
          <span className="muted">Считаем стоимость…</span>
        )}
      </p>
      <ErrorMessage error={quote.error} onRetry={() => void quote.reload()} />
      <ErrorMessage error={error} />
      <button type="button" className="primary big-button" onClick={() => void add()} disabled={busy}>
        Добавить в корзину
      </button>
      {added && (
        <p className="success" role="status">
          Премьера в корзине. <Link to="/cart">Перейти в корзину</Link>
        </p>
      )}
      <LiveShows premiereId={premiere.id} period={period} price={price} />
    </div>
  );
}
