import { Link, useSearchParams } from 'react-router-dom';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import { searchPremieres } from '../api/search-premieres';
import { FeaturedPremieres } from './featured-premieres';
import { SearchResults } from './search-results';

export function SearchPage() {
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const { timeZone } = useSession();
  const result = useQuery((signal) => searchPremieres(q, { page, signal }), [q, page]);
  const pageLink = (p: number) => `/search?q=${encodeURIComponent(q)}${p > 1 ? `&page=${p}` : ''}`;

  return (
    <section>
      <h1>{q ? `Премьеры по запросу «${q}»` : 'Все премьеры'}</h1>
      {result.error ? (
        <ErrorMessage error={result.error} onRetry={() => void result.reload()} />
      ) : !result.data ? (
        <Loading label="Ищем премьеры…" />
      ) : (
        <>
          {result.data.did_you_mean && (
            <p className="hint">
              Возможно, вы имели в виду{' '}
              <Link to={`/search?q=${encodeURIComponent(result.data.did_you_mean)}`}>«{result.data.did_you_mean}»</Link>?
            </p>
          )}
          {result.data.items.length === 0 ? (
            <>
              <p className="empty">По запросу «{q}» ничего не нашлось.</p>
              <FeaturedPremieres heading="Посмотрите эти премьеры" />
            </>
          ) : (
            <>
              <p className="muted">Найдено: {result.data.total}</p>
              <SearchResults items={result.data.items} timeZone={timeZone} />
              {result.data.total > result.data.limit && (
                <nav className="pager" aria-label="Страницы">
                  {page > 1 && <Link to={pageLink(page - 1)}>← Назад</Link>}
                  <span>
                    Страница {page} из {Math.ceil(result.data.total / result.data.limit)}
                  </span>
                  {page * result.data.limit < result.data.total && <Link to={pageLink(page + 1)}>Дальше →</Link>}
                </nav>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
