import { Link } from 'react-router-dom';
import type { Card } from '@/lib/types';
import { formatDateTime, formatMoney, hoursLabel } from '@/utils/format';

// A search result card with the spec's fields: title, actors, description, price in the theatre, price
// online, discount and reservation time.
export function PremiereCard({ card, timeZone }: { card: Card; timeZone: string }) {
  return (
    <article className="card" data-testid="premiere-card">
      <Link to={`/premiere/${card.id}`} className="card-link" aria-label={card.title}>
        <img src={card.poster_url} alt="" className="poster" loading="lazy" width={200} height={300} />
        <div className="card-body">
          <h3>{card.title}</h3>
          <p className="actors">{card.actors.join(', ')}</p>
          <p className="description">{card.description}</p>
          <dl className="prices">
            <dt>Цена в театре</dt>
            <dd>{formatMoney(card.price_theatre)}</dd>
            <dt>Цена онлайн</dt>
            <dd>
              {card.discount ? (
                <>
                  <s className="old-price">{formatMoney(card.price_online)}</s>{' '}
                  <b>{formatMoney(card.price_online_final)}</b>{' '}
                  <span className="badge">−{card.discount.percent}&nbsp;%</span>
                </>
              ) : (
                <b>{formatMoney(card.price_online_final)}</b>
              )}
            </dd>
            <dt>Время резервации</dt>
            <dd>
              {card.reservation.periods.map(hoursLabel).join(' / ')}
              <br />
              <span className="muted">бронь до {formatDateTime(card.reservation.until, timeZone)}</span>
            </dd>
          </dl>
        </div>
      </Link>
    </article>
  );
}
