import { NavLink } from 'react-router-dom';

export function AdminNav() {
  return (
    <nav className="subnav" aria-label="Администрирование">
      <NavLink to="/admin" end>
        Премьеры
      </NavLink>
      <NavLink to="/admin/dead-letters">Недоставленные сообщения</NavLink>
    </nav>
  );
}
