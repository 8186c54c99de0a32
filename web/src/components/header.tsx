import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import { formatMoney } from '@/utils/format';

type Suggestion = { id: number; title: string };

export function Header() {
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  const location = useLocation();

  useEffect(() => setOpen(false), [location.pathname, location.search]);

  useEffect(() => {
    window.clearTimeout(timer.current);
    if (q.trim().length < 2) {
      setSuggestions([]);
      return;
    }
    const controller = new AbortController();
    timer.current = window.setTimeout(() => {
      api<{ items: Suggestion[] }>('GET', `/search/suggest?q=${encodeURIComponent(q)}`, { signal: controller.signal })
        .then((r) => setSuggestions(r.items))
        .catch(() => setSuggestions([]));
    }, 200);
    return () => controller.abort();
  }, [q]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOpen(false);
    navigate(`/search?q=${encodeURIComponent(q)}`);
  };

  return (
    <header className="header">
      <Link to="/" className="logo">Шанс-видео</Link>
      <form className="search" role="search" onSubmit={submit}>
        <input
          type="search"
          aria-label="Поиск"
          placeholder="Премьера, театр или актёр"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setOpen(true);
          }}
          onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
          onBlur={() => window.setTimeout(() => setOpen(false), 150)}
          autoComplete="off"
        />
        <button type="submit">Найти</button>
        {open && suggestions.length > 0 && (
          <ul className="suggestions" aria-label="Подсказки">
            {suggestions.map((s) => (
              <li key={s.id}>
                <Link to={`/premiere/${s.id}`} onClick={() => setOpen(false)}>{s.title}</Link>
              </li>
            ))}
          </ul>
        )}
      </form>
      <nav className="nav">
        {session.user ? (
          <>
            <Link to="/billing" className="balance" aria-label="Баланс">
              {session.balance === null ? '—' : formatMoney(session.balance)}
            </Link>
            <Link to="/cart">Корзина{session.cartCount > 0 && <span className="count"> {session.cartCount}</span>}</Link>
            <Link to="/rentals">Мои премьеры</Link>
            <Link to="/notifications">Уведомления</Link>
            <span className="user">{session.user.name}</span>
            <button type="button" className="link" onClick={() => void session.logout().then(() => navigate('/'))}>
              Выйти
            </button>
          </>
        ) : (
          <>
            <Link to="/cart">Корзина</Link>
            <Link to="/rentals">Мои премьеры</Link>
            <Link to="/login">Войти</Link>
          </>
        )}
      </nav>
    </header>
  );
}
