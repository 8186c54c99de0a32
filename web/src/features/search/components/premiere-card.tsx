import { Link } from 'react-router-dom';
import { PriceTag } from '@/components/price-tag';
import type { Card, Show } from '@/types/api';
import { formatDateTime } from '@/utils/dates';
import { formatMoney } from '@/utils/money';
import { periodsLabel } from '@/utils/periods';
import { seatsLabel } from '@/utils/shows';

// A search result with the spec's fields: title, actors, description, price in the theatre, price
// online, discount and reservation time (the periods one can rent for and the window to book in); and the next live
// show with its seats left, when there is one (`next`, asked by the list for all its cards at once).
export function PremiereCard({
  card,
  timeZone,
  headingLevel = 2,
  next = null,
}: {
  card: Card;
  timeZone: string;
  headingLevel?: 2 | 3;
  next?: Show | null;
}) {
  const Title = headingLevel === 3 ? 'h3' : 'h2';
  return (
    <article className="card" data-testid="premiere-card">
      {/* The title is the link (its name is the title); its ::after stretches over the card, so the whole card
          is clickable without a link whose name is every word on it. */}
      <div className="poster-frame">
        <img src={card.poster_url} alt="" className="poster" loading="lazy" width={200} height={300} />
        {card.discount && card.discount.percent > 0 && <span className="badge badge-corner">−{card.discount.percent}&nbsp;%</span>}
      </div>
      <div className="card-body">
        <Title className="card-title">
          <Link to={`/premiere/${card.id}`} className="card-link">
            {card.title}
          </Link>
        </Title>
        <p className="actors">{card.actors.join(', ')}</p>
        <p className="description">{card.description}</p>
        <dl className="facts">
          <dt>Цена в театре</dt>
          <dd>{formatMoney(card.price_theatre)}</dd>
          <dt>Цена онлайн</dt>
          <dd>
            <PriceTag price={card.price_online} finalPrice={card.price_online_final} discount={card.discount} />
          </dd>
          <dt>Время резервации</dt>
          <dd>
            {periodsLabel(card.reservation.periods)}
            <span className="window">
              с {formatDateTime(card.reservation.from, timeZone)} по {formatDateTime(card.reservation.until, timeZone)}
            </span>
          </dd>
        </dl>
        {next && (
          <p className="next-show" data-testid="next-show">
            Прямой эфир: <time dateTime={next.starts_at}>{formatDateTime(next.starts_at, timeZone)}</time> · {seatsLabel(next)}
          </p>
        )}
      </div>
    </article>
  );
}
