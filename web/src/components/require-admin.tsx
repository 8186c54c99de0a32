import type { ReactNode } from 'react';
import { useSession } from '@/lib/session';
import { RequireAuth } from './require-auth';

// Admin screens: anonymous visitors sign in first; a signed-in customer is told, not redirected.
export function RequireAdmin({ children }: { children: ReactNode }) {
  const { user } = useSession();
  return (
    <RequireAuth>
      {user?.role === 'admin' ? (
        children
      ) : (
        <section>
          <h1>Нужны права администратора</h1>
          <p className="alert alert-error" role="alert">
            Этот раздел доступен только администраторам магазина.
          </p>
        </section>
      )}
    </RequireAuth>
  );
}
