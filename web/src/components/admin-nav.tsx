import { NavLink } from 'react-router-dom';
import { useSession } from '@/lib/session';

// The admin area's sections. «Покупатели» and «Проблемы с просмотром» are the staff's pages: support opens
// «Покупатели» from the header and sees only those two here. «Касса театра» is the theatres' box office (ADR 0028),
// which admins may use too.
export function AdminNav() {
  const { user } = useSession();
  if (user?.role === 'support')
    return (
      <nav className="subnav" aria-label="Служба поддержки">
        <NavLink to="/staff/customers">Покупатели</NavLink>
        <NavLink to="/admin/problems">Проблемы с просмотром</NavLink>
      </nav>
    );
  return (
    <nav className="subnav" aria-label="Администрирование">
      <NavLink to="/admin" end>
        Премьеры
      </NavLink>
      <NavLink to="/staff/customers">Покупатели</NavLink>
      <NavLink to="/admin/problems">Проблемы с просмотром</NavLink>
      <NavLink to="/admin/import">Импорт</NavLink>
      <NavLink to="/admin/reports">Продажи</NavLink>
      <NavLink to="/admin/dead-letters">Недоставленные сообщения</NavLink>
      <NavLink to="/theatre">Касса театра</NavLink>
    </nav>
  );
}
