import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import type { Premiere, Quote } from '@/lib/types';
import { ErrorMessage, Loading } from '@/components/ui';
import { formatDateTime, formatMoney, hoursLabel } from '@/utils/format';

export function PremierePage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const session = useSession();
  const [premiere, setPremiere] = useState<Premiere | null>(null);
  const [period, setPeriod] = useState<number | null>(null);
  const [quote, setQuote] = useState<Quote | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<Premiere>('GET', `/premiere/${id}`)
      .then((p) => {
        setPremiere(p);
        setPeriod(p.reservation.default_period);
      })
      .catch(setError);
  }, [id]);

  useEffect(() => {
    if (!premiere || period === null) return;
    api<Quote>('GET', `/rent/${premiere.id}?period=${period}`).then(setQuote).catch(setError);
  }, [premiere, period]);

  const addToCart = async () => {
    if (!session.user) {
      navigate(`/login?next=${encodeURIComponent(`/premiere/${id}`)}`);
      return;
    }
    setBusy(true);
    try {
      await api('POST', '/cart/items', { body: { premiere_id: premiere!.id, period } });
      setAdded(true);
      await session.refreshCounters();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (error && !premiere) return <ErrorMessage error={error} />;
  if (!premiere) return <Loading />;
  return (
    <article className="premiere">
      <img src={premiere.poster_url} alt={`Афиша «${premiere.title}»`} className="poster-large" width={300} height={450} />
      <div>
        <h1>{premiere.title}</h1>
        <p className="muted">
          {premiere.theatre} · режиссёр {premiere.director} · {premiere.genre} · {premiere.age_rating} ·{' '}
          {premiere.duration_minutes} мин
        </p>
        <p>{premiere.description_full}</p>
        <h2>В ролях</h2>
        <ul className="cast">
          {premiere.cast.map((c) => (
            <li key={c.actor + c.role}>
              <b>{c.actor}</b> — {c.role}
            </li>
          ))}
        </ul>
        <dl className="prices">
          <dt>Цена в театре</dt>
          <dd>{formatMoney(premiere.price_theatre)}</dd>
          <dt>Цена онлайн (за {hoursLabel(premiere.reservation.default_period)})</dt>
          <dd>
            {formatMoney(premiere.price_online_final)}
            {premiere.discount && <span className="badge"> −{premiere.discount.percent}&nbsp;%</span>}
          </dd>
          <dt>Можно забронировать</dt>
          <dd>
            с {formatDateTime(premiere.reservation.from, session.timeZone)} по{' '}
            {formatDateTime(premiere.reservation.until, session.timeZone)}
          </dd>
        </dl>
        <fieldset className="periods">
          <legend>Срок аренды</legend>
          {premiere.reservation.periods.map((h) => (
            <label key={h}>
              <input type="radio" name="period" value={h} checked={period === h} onChange={() => setPeriod(h)} /> {hoursLabel(h)}
            </label>
          ))}
        </fieldset>
        {quote && (
          <p className="quote" data-testid="quote">
            Стоимость: <b>{formatMoney(quote.total)}</b>
            {quote.discount > 0 && <span className="muted"> (скидка {formatMoney(quote.discount)})</span>}
          </p>
        )}
        <ErrorMessage error={error} />
        <button type="button" className="primary" onClick={() => void addToCart()} disabled={busy}>
          Добавить в корзину
        </button>
        {added && (
          <p className="success" role="status">
            Премьера в корзине. <a href="/cart" onClick={(e) => { e.preventDefault(); navigate('/cart'); }}>Перейти в корзину</a>
          </p>
        )}
      </div>
    </article>
  );
}
