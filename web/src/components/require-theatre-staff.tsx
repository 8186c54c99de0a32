import type { ReactNode } from 'react';
import { isTheatreStaff, useSession } from '@/lib/session';
import { AccessRefused } from './require-admin';
import { RequireAuth } from './require-auth';

// The theatre's box office («Касса театра», ADR 0028): theatre staff and admins; anonymous visitors sign in first,
// anyone else is told.
export function RequireTheatreStaff({ children }: { children: ReactNode }) {
  const { user } = useSession();
  return <RequireAuth>{isTheatreStaff(user) ? children : <AccessRefused theatre />}</RequireAuth>;
}
