import type { Card } from '@/types/api';
import { PremiereCard } from './premiere-card';

// headingLevel: the cards' title level under the section's own heading (2 under an h1, 3 under an h2).
export function SearchResults({ items, timeZone, headingLevel = 2 }: { items: Card[]; timeZone: string; headingLevel?: 2 | 3 }) {
  return (
    <div className="grid">
      {items.map((card) => (
        <PremiereCard key={card.id} card={card} timeZone={timeZone} headingLevel={headingLevel} />
      ))}
    </div>
  );
}
