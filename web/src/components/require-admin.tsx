import type { ReactNode } from 'react';
import { useSession } from '@/lib/session';
import { RequireAuth } from './require-auth';

// What a signed-in customer sees on a page of the store's staff (RequireAdmin's, RequireStaff's and
// RequireTheatreStaff's). `staff`: the section is open to support as well as admins; `theatre`: to theatre staff and
// admins.
export function AccessRefused({ staff = false, theatre = false }: { staff?: boolean; theatre?: boolean }) {
  const [title, text] = theatre
    ? ['Нужны права сотрудника театра', 'Этот раздел доступен только сотрудникам театров и администраторам магазина.']
    : staff
      ? ['Нужны права сотрудника магазина', 'Этот раздел доступен только службе поддержки и администраторам магазина.']
      : ['Нужны права администратора', 'Этот раздел доступен только администраторам магазина.'];
  return (
    <section>
      <h1>{title}</h1>
      <p className="alert alert-error" role="alert">
        {text}
      </p>
    </section>
  );
}

// Admin screens: anonymous visitors sign in first; a signed-in customer is told, not redirected.
export function RequireAdmin({ children }: { children: ReactNode }) {
  const { user } = useSession();
  return <RequireAuth>{user?.role === 'admin' ? children : <AccessRefused />}</RequireAuth>;
}
