import { Link, NavLink, useNavigate } from 'react-router-dom';
import { SearchBox } from '@/features/search/components/search-box';
import { isStaff, useSession } from '@/lib/session';
import { formatMoney } from '@/utils/money';

export function Header() {
  const session = useSession();
  const navigate = useNavigate();
  const { user } = session;

  return (
    <header className="header">
      <div className="header-inner">
        <Link to="/" className="logo" aria-label="Шанс-видео — на главную">
          <span className="logo-mark" aria-hidden="true">
            ✦
          </span>
          Шанс-видео
        </Link>
        <SearchBox />
        <nav className="nav" aria-label="Основное меню">
          <NavLink to="/cart">
            Корзина
            {session.cartCount > 0 && (
              <span className="count">
                <span className="visually-hidden">, в ней </span>
                {session.cartCount}
              </span>
            )}
          </NavLink>
          <NavLink to="/rentals">Мои премьеры</NavLink>
          <NavLink to="/orders">Мои заказы</NavLink>
          {/* Nothing that depends on who is here until the session is known: no «Войти» flashing for a
              signed-in customer, and the links above never move (no layout shift). */}
          {session.loading ? null : user ? (
            <>
              <NavLink to="/billing" className="balance" title="Баланс">
                <span className="visually-hidden">Баланс: </span>
                {session.balance === null ? '—' : formatMoney(session.balance)}
              </NavLink>
              <NavLink to="/notifications">
                Уведомления
                {session.unread > 0 && (
                  <span className="count">
                    <span className="visually-hidden">, непрочитанных </span>
                    {session.unread}
                  </span>
                )}
              </NavLink>
              {isStaff(user) && <NavLink to="/staff/customers">Покупатели</NavLink>}
              {/* Admins reach the box office from their own menu. */}
              {user.role === 'theatre_staff' && <NavLink to="/theatre">Касса театра</NavLink>}
              {user.role === 'admin' && <NavLink to="/admin">Администрирование</NavLink>}
              <NavLink to="/account" className="user" title="Профиль">
                {user.name || user.email}
              </NavLink>
              <button type="button" className="button-ghost button-small" onClick={() => void session.logout().then(() => navigate('/'))}>
                Выйти
              </button>
            </>
          ) : (
            <>
              <NavLink to="/login">Войти</NavLink>
              <NavLink to="/register" className="button-outline button-small">
                Регистрация
              </NavLink>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}
