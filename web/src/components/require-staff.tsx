import type { ReactNode } from 'react';
import { isStaff, useSession } from '@/lib/session';
import { AccessRefused } from './require-admin';
import { RequireAuth } from './require-auth';

// The staff's screens (support and admins): anonymous visitors sign in first; anyone else is told.
export function RequireStaff({ children }: { children: ReactNode }) {
  const { user } = useSession();
  return <RequireAuth>{isStaff(user) ? children : <AccessRefused staff />}</RequireAuth>;
}
