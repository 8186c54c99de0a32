import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import { searchPremieres } from '../api/search-premieres';
import { SearchResults } from './search-results';

// The featured premieres: what GET /search/?q= answers for an empty query.
export function FeaturedPremieres({ heading, level = 2 }: { heading: string; level?: 1 | 2 }) {
  const { timeZone } = useSession();
  const featured = useQuery((signal) => searchPremieres('', { signal }), []);
  const Heading = level === 1 ? 'h1' : 'h2';
  return (
    <section aria-label={heading}>
      <Heading>{heading}</Heading>
      {featured.error ? (
        <ErrorMessage error={featured.error} onRetry={() => void featured.reload()} />
      ) : !featured.data ? (
        <Loading />
      ) : featured.data.items.length === 0 ? (
        <p className="muted">Скоро здесь появятся новые премьеры.</p>
      ) : (
        <SearchResults items={featured.data.items} timeZone={timeZone} headingLevel={level === 1 ? 2 : 3} />
      )}
    </section>
  );
}
