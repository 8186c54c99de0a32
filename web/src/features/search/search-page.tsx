import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import type { SearchResult } from '@/lib/types';
import { PremiereCard } from '@/components/premiere-card';
import { ErrorMessage, Loading } from '@/components/ui';

export function SearchResults({ result, timeZone }: { result: SearchResult; timeZone: string }) {
  return (
    <div className="grid">
      {result.items.map((card) => (
        <PremiereCard key={card.id} card={card} timeZone={timeZone} />
      ))}
    </div>
  );
}

export function SearchPage({ featured = false }: { featured?: boolean }) {
  const [params] = useSearchParams();
  const q = featured ? '' : params.get('q') ?? '';
  const { timeZone } = useSession();
  const [result, setResult] = useState<SearchResult | null>(null);
  const [fallback, setFallback] = useState<SearchResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    setResult(null);
    setFallback(null);
    setError(null);
    api<SearchResult>('GET', `/search/?q=${encodeURIComponent(q)}`, { signal: controller.signal })
      .then(async (r) => {
        setResult(r);
        if (r.items.length === 0) setFallback(await api<SearchResult>('GET', '/search/?q=&limit=8'));
      })
      .catch((e) => {
        if ((e as Error).name !== 'AbortError') setError(e);
      });
    return () => controller.abort();
  }, [q]);

  if (error) return <ErrorMessage error={error} />;
  if (!result) return <Loading />;
  return (
    <section>
      <h1>{q ? `Премьеры по запросу «${q}»` : 'Премьеры недели'}</h1>
      {result.did_you_mean && (
        <p className="hint">
          Возможно, вы имели в виду <Link to={`/search?q=${encodeURIComponent(result.did_you_mean)}`}>«{result.did_you_mean}»</Link>
        </p>
      )}
      {result.items.length === 0 ? (
        <>
          <p>По запросу «{q}» ничего не нашлось.</p>
          {fallback && fallback.items.length > 0 && (
            <>
              <h2>Посмотрите эти премьеры</h2>
              <SearchResults result={fallback} timeZone={timeZone} />
            </>
          )}
        </>
      ) : (
        <>
          {q && <p className="muted">Найдено: {result.total}</p>}
          <SearchResults result={result} timeZone={timeZone} />
        </>
      )}
    </section>
  );
}
