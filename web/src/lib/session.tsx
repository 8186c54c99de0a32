// Who is signed in, and the counters the header shows (balance, cart, unread notifications). Pages
// call refreshCounters() after anything that changes them.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, setCsrfToken, setUnauthorizedHandler } from './api-client';
import type { Balance, Cart, Notifications, User } from '@/types/api';
import { DEFAULT_TIME_ZONE } from '@/utils/dates';

export type Session = {
  user: User | null;
  loading: boolean;
  balance: number | null;
  cartCount: number;
  unread: number;
  timeZone: string;
  refresh: () => Promise<void>;
  refreshCounters: () => Promise<void>;
  signedIn: (user: User) => Promise<void>;
  updateUser: (user: User) => void;
  logout: () => Promise<void>;
};

export const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);
  const [balance, setBalance] = useState<number | null>(null);
  const [cartCount, setCartCount] = useState(0);
  const [unread, setUnread] = useState(0);

  const refreshCounters = useCallback(async () => {
    const [amount, cart, notes] = await Promise.allSettled([
      api<Balance>('GET', '/billing/amount/'),
      api<Cart>('GET', '/cart'),
      api<Notifications>('GET', '/notifications'),
    ]);
    setBalance(amount.status === 'fulfilled' ? amount.value.amount : null);
    if (cart.status === 'fulfilled') setCartCount(cart.value.items.length);
    if (notes.status === 'fulfilled') setUnread(notes.value.unread);
  }, []);

  const clear = useCallback(() => {
    setUser(null);
    setCsrfToken(null);
    setBalance(null);
    setCartCount(0);
    setUnread(0);
  }, []);

  // Only the latest refresh's answer counts: the page that confirms an email address refreshes while the first
  // GET /session (asked before the address was confirmed) may still be on its way.
  const latestRefresh = useRef(0);
  const refresh = useCallback(async () => {
    const mine = ++latestRefresh.current;
    try {
      // GET /session answers visitors too (no 401 in their console); signed in, it hands out the CSRF
      // token, which the API client keeps.
      const session = await api<{ signed_in: false } | (User & { signed_in: true; csrf_token: string })>('GET', '/session');
      if (mine !== latestRefresh.current) return;
      if (!session.signed_in) {
        clear();
        return;
      }
      const { signed_in: _signedIn, csrf_token: _csrf, ...me } = session;
      setUser(me);
      await refreshCounters();
    } catch {
      if (mine === latestRefresh.current) clear();
    } finally {
      if (mine === latestRefresh.current) setLoading(false);
    }
  }, [refreshCounters, clear]);

  useEffect(() => {
    // refresh() sets state only once GET /session has answered (its first statement awaits): nothing is set
    // synchronously in this effect, which the rule cannot see through the async call.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void refresh();
  }, [refresh]);

  // An expired session: forget the user; RequireAuth then asks them to sign in and brings them back.
  useEffect(() => {
    setUnauthorizedHandler(clear);
    return () => setUnauthorizedHandler(null);
  }, [clear]);

  const signedIn = useCallback(
    async (u: User) => {
      setUser(u);
      await refreshCounters();
    },
    [refreshCounters],
  );

  // An answer that lacks email_verified (PATCH /me from an older server) keeps what is known about the address.
  const updateUser = useCallback((u: User) => setUser((prev) => (prev && prev.id === u.id ? { ...prev, ...u } : u)), []);

  const logout = useCallback(async () => {
    try {
      await api('POST', '/auth/logout');
    } finally {
      clear();
    }
  }, [clear]);

  const value = useMemo<Session>(
    () => ({
      user,
      loading,
      balance,
      cartCount,
      unread,
      timeZone: user?.time_zone || DEFAULT_TIME_ZONE,
      refresh,
      refreshCounters,
      signedIn,
      updateUser,
      logout,
    }),
    [user, loading, balance, cartCount, unread, refresh, refreshCounters, signedIn, updateUser, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

// Whether the account's address is confirmed; an answer without email_verified (an older server) means it is.
export function emailVerified(user: User): boolean {
  return user.email_verified !== false;
}

// Whether SMS can go to the account's number: there is one, and its owner confirmed it with the code sent to it.
// Unlike the address, an answer without phone_verified means not confirmed (the server refuses SMS then).
export function phoneVerified(user: User | null): boolean {
  return !!user?.phone && user.phone_verified === true;
}

// Support and admins: the customer lookup and refunds («Покупатели»).
export function isStaff(user: User | null): boolean {
  return user?.role === 'support' || user?.role === 'admin';
}

// A theatre's box office (ADR 0028): theatre staff, and admins who may do what they do («Касса театра»).
export function isTheatreStaff(user: User | null): boolean {
  return user?.role === 'theatre_staff' || user?.role === 'admin';
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
