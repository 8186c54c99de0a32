import type { ReactElement, ReactNode } from 'react';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { SessionContext, type Session } from '@/lib/session';
import { DEFAULT_TIME_ZONE } from '@/utils/dates';

const noop = async () => undefined;

export function testSession(value: Partial<Session> = {}): Session {
  return {
    user: null,
    loading: false,
    balance: null,
    cartCount: 0,
    unread: 0,
    timeZone: DEFAULT_TIME_ZONE,
    refresh: noop,
    refreshCounters: noop,
    signedIn: noop,
    updateUser: () => undefined,
    logout: noop,
    ...value,
  };
}

// Renders `ui` inside a router at `path` with a fixed session (no /me round trip).
export function renderWithProviders(ui: ReactElement, { path = '/', session = {} }: { path?: string; session?: Partial<Session> } = {}) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <MemoryRouter initialEntries={[path]}>
      <SessionContext.Provider value={testSession(session)}>{children}</SessionContext.Provider>
    </MemoryRouter>
  );
  return render(ui, { wrapper });
}

type Route = {
  match: (url: string, init: RequestInit) => boolean;
  status?: number;
  // A value, or a function of the request for answers that depend on it.
  body: unknown | ((url: string, init: RequestInit) => unknown);
};

// A fetch stand-in that answers by URL (the first route that matches), and records what was asked.
export function stubApi(routes: Route[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchMock = vi.fn(async (url: string, init: RequestInit = {}) => {
    calls.push({ url, init });
    const route = routes.find((r) => r.match(url, init));
    if (!route) return new Response(JSON.stringify({ title: 'Не найдено', status: 404 }), { status: 404 });
    const status = route.status ?? 200;
    const body = typeof route.body === 'function' ? route.body(url, init) : route.body;
    return new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}
