import { useQuery } from '@/lib/use-query';
import type { Card } from '@/types/api';
import { getNextShows } from '../api/get-next-shows';
import { PremiereCard } from './premiere-card';

// headingLevel: the cards' title level under the section's own heading (2 under an h1, 3 under an h2).
// The cards' next live shows come in one request for the whole list; when it fails the cards just go without.
export function SearchResults({ items, timeZone, headingLevel = 2 }: { items: Card[]; timeZone: string; headingLevel?: 2 | 3 }) {
  const ids = items.map((card) => card.id);
  const shows = useQuery((signal) => getNextShows(ids, signal), [ids.join(',')]);
  return (
    <div className="grid">
      {items.map((card) => (
        <PremiereCard key={card.id} card={card} timeZone={timeZone} headingLevel={headingLevel} next={shows.data?.[card.id] ?? null} />
      ))}
    </div>
  );
}
