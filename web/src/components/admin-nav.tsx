import { NavLink } from 'react-router-dom';

// The admin area's sections. «Покупатели» is the staff's page (support opens it from the header).
export function AdminNav() {
  return (
    <nav className="subnav" aria-label="Администрирование">
      <NavLink to="/admin" end>
        Премьеры
      </NavLink>
      <NavLink to="/staff/customers">Покупатели</NavLink>
      <NavLink to="/admin/import">Импорт</NavLink>
      <NavLink to="/admin/reports">Продажи</NavLink>
      <NavLink to="/admin/dead-letters">Недоставленные сообщения</NavLink>
    </nav>
  );
}
