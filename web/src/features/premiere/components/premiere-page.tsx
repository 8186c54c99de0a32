import { Link, useParams } from 'react-router-dom';
import { PaymentResult } from '@/components/payment-result';
import { PriceTag } from '@/components/price-tag';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import { formatDateTime } from '@/utils/dates';
import { formatMoney } from '@/utils/money';
import { hoursLabel } from '@/utils/periods';
import { getPremiere } from '../api/get-premiere';
import { RentPanel } from './rent-panel';

export function PremierePage() {
  const { id = '' } = useParams();
  const { timeZone } = useSession();
  const { data: premiere, error, reload } = useQuery((signal) => getPremiere(id, signal), [id]);

  if (error) {
    return (
      <section>
        <ErrorMessage error={error} onRetry={() => void reload()} />
        <Link to="/">На главную</Link>
      </section>
    );
  }
  if (!premiere) return <Loading />;
  return (
    <article className="premiere">
      <img src={premiere.poster_url} alt={`Афиша «${premiere.title}»`} className="poster-large" width={300} height={450} />
      <div className="premiere-main">
        <h1>{premiere.title}</h1>
        {/* Back from topping up for a seat on a live show (the payment page returns here with ?payment=). */}
        <PaymentResult />
        <p className="premiere-meta">
          {[premiere.theatre, premiere.genre, premiere.age_rating, premiere.duration_minutes ? `${premiere.duration_minutes} мин` : null]
            .filter(Boolean)
            .join(' · ')}
        </p>
        <dl className="facts facts-wide">
          <dt>Театр</dt>
          <dd>{premiere.theatre}</dd>
          <dt>Режиссёр</dt>
          <dd>{premiere.director}</dd>
          {premiere.live_at && (
            <>
              <dt>Прямая трансляция</dt>
              <dd>{formatDateTime(premiere.live_at, timeZone)}</dd>
            </>
          )}
          <dt>Цена в театре</dt>
          <dd>{formatMoney(premiere.price_theatre)}</dd>
          <dt>Цена онлайн</dt>
          <dd>
            <PriceTag price={premiere.price_online} finalPrice={premiere.price_online_final} discount={premiere.discount} />{' '}
            <span className="muted">за {hoursLabel(premiere.reservation.default_period)}</span>
            {premiere.discount?.until && <span className="muted"> · скидка до {formatDateTime(premiere.discount.until, timeZone)}</span>}
          </dd>
          <dt>Время резервации</dt>
          <dd>
            с {formatDateTime(premiere.reservation.from, timeZone)} по {formatDateTime(premiere.reservation.until, timeZone)}
          </dd>
        </dl>
        <RentPanel premiere={premiere} />
        <h2>О спектакле</h2>
        {premiere.description_full.split(/\n{2,}/).map((paragraph, i) => (
          <p key={i}>{paragraph}</p>
        ))}
        <h2>В ролях</h2>
        <ul className="cast">
          {premiere.cast.map((c) => (
            <li key={`${c.actor}|${c.role}`}>
              <span className="cast-role">{c.role}</span>
              <span className="cast-actor">{c.actor}</span>
            </li>
          ))}
        </ul>
      </div>
    </article>
  );
}
