import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { AdminNav } from '@/components/admin-nav';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import { formatDateTime } from '@/utils/dates';
import { formatMoney } from '@/utils/money';
import { listPremieres } from '../api/premieres';

// Admin: every premiere, hidden ones included, newest first, filtered by title.
export function AdminPremieresPage() {
  const { timeZone } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [typed, setTyped] = useState(q);
  const list = useQuery((signal) => listPremieres(q, page, signal), [q, page]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setParams(typed.trim() ? { q: typed.trim() } : {});
  };
  const go = (p: number) => setParams({ ...(q ? { q } : {}), ...(p > 1 ? { page: String(p) } : {}) });

  return (
    <section>
      <AdminNav />
      <h1>Премьеры</h1>
      <div className="toolbar">
        <form role="search" aria-label="Премьеры в каталоге" onSubmit={submit} className="inline-form">
          <label htmlFor="admin-q">Найти по названию</label>
          <input id="admin-q" value={typed} onChange={(e) => setTyped(e.target.value)} maxLength={200} />
          <button type="submit">Найти</button>
        </form>
        <Link to="/admin/premieres/new" className="button primary">
          Новая премьера
        </Link>
      </div>
      {list.error ? (
        <ErrorMessage error={list.error} onRetry={() => void list.reload()} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <p className="empty">{q ? `Премьер с «${q}» в названии нет.` : 'В каталоге пока нет премьер.'}</p>
      ) : (
        <>
          <p className="muted">Всего: {list.data.total}</p>
          <div className="table-scroll">
            <table className="history admin-table">
              <caption className="visually-hidden">Премьеры каталога</caption>
              <thead>
                <tr>
                  <th scope="col">Название</th>
                  <th scope="col">Театр</th>
                  <th scope="col" className="num">
                    Онлайн
                  </th>
                  <th scope="col" className="num">
                    Скидка
                  </th>
                  <th scope="col">Витрина</th>
                  <th scope="col">Изменена</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((p) => (
                  <tr key={p.id} data-testid="admin-premiere">
                    <td>
                      <Link to={`/admin/premieres/${p.id}`}>{p.title}</Link>
                    </td>
                    <td>{p.theatre}</td>
                    <td className="num">{formatMoney(p.price_online)}</td>
                    <td className="num">{p.discount_percent > 0 ? `−${p.discount_percent} %` : '—'}</td>
                    <td>{p.hidden ? <span className="badge badge-muted">Скрыта</span> : p.featured ? 'Рекомендуем' : 'В каталоге'}</td>
                    <td>{formatDateTime(p.updated_at, timeZone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.data.total > list.data.limit && (
            <nav className="pager" aria-label="Страницы">
              {page > 1 && (
                <button type="button" className="button-ghost" onClick={() => go(page - 1)}>
                  ← Назад
                </button>
              )}
              <span>
                Страница {page} из {Math.ceil(list.data.total / list.data.limit)}
              </span>
              {page * list.data.limit < list.data.total && (
                <button type="button" className="button-ghost" onClick={() => go(page + 1)}>
                  Дальше →
                </button>
              )}
            </nav>
          )}
        </>
      )}
    </section>
  );
}
