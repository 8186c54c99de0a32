// Who is signed in, their balance and cart count: shared by the header and the pages.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, setCsrfToken } from './api-client';
import type { Cart, User } from './types';

type Session = {
  user: User | null;
  loading: boolean;
  balance: number | null;
  cartCount: number;
  timeZone: string;
  refresh: () => Promise<void>;
  refreshCounters: () => Promise<void>;
  signedIn: (user: User) => Promise<void>;
  logout: () => Promise<void>;
};

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);
  const [balance, setBalance] = useState<number | null>(null);
  const [cartCount, setCartCount] = useState(0);

  const refreshCounters = useCallback(async () => {
    try {
      const [amount, cart] = await Promise.all([
        api<{ amount: number }>('GET', '/billing/amount/'),
        api<Cart>('GET', '/cart'),
      ]);
      setBalance(amount.amount);
      setCartCount(cart.items.length);
    } catch {
      setBalance(null);
    }
  }, []);

  const refresh = useCallback(async () => {
    try {
      const me = await api<User & { csrf_token: string }>('GET', '/me');
      setUser(me);
      await refreshCounters();
    } catch {
      setUser(null);
      setCsrfToken(null);
    } finally {
      setLoading(false);
    }
  }, [refreshCounters]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const signedIn = useCallback(
    async (u: User) => {
      setUser(u);
      await refreshCounters();
    },
    [refreshCounters],
  );

  const logout = useCallback(async () => {
    try {
      await api('POST', '/auth/logout');
    } finally {
      setUser(null);
      setCsrfToken(null);
      setBalance(null);
      setCartCount(0);
    }
  }, []);

  return (
    <SessionContext.Provider
      value={{ user, loading, balance, cartCount, timeZone: user?.time_zone ?? 'Europe/Moscow', refresh, refreshCounters, signedIn, logout }}
    >
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
