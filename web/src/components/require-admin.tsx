import type { ReactNode } from 'react';
import { useSession } from '@/lib/session';
import { RequireAuth } from './require-auth';

// What a signed-in customer sees on a page of the store's staff (RequireAdmin's and RequireStaff's).
// `staff`: the section is open to support as well as admins.
export function AccessRefused({ staff = false }: { staff?: boolean }) {
  return (
    <section>
      <h1>{staff ? 'Нужны права сотрудника магазина' : 'Нужны права администратора'}</h1>
      <p className="alert alert-error" role="alert">
        {staff ? 'Этот раздел доступен только службе поддержки и администраторам магазина.' : 'Этот раздел доступен только администраторам магазина.'}
      </p>
    </section>
  );
}

// Admin screens: anonymous visitors sign in first; a signed-in customer is told, not redirected.
export function RequireAdmin({ children }: { children: ReactNode }) {
  const { user } = useSession();
  return <RequireAuth>{user?.role === 'admin' ? children : <AccessRefused />}</RequireAuth>;
}
