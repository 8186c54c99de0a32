import type { Card } from '@/types/api';
import { PremiereCard } from './premiere-card';

export function SearchResults({ items, timeZone }: { items: Card[]; timeZone: string }) {
  return (
    <div className="grid">
      {items.map((card) => (
        <PremiereCard key={card.id} card={card} timeZone={timeZone} />
      ))}
    </div>
  );
}
