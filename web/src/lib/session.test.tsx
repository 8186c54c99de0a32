import { act, render, screen, waitFor } from '@testing-library/react';
import type { User } from '@/types/api';
import { emailVerified, SessionProvider, useSession, type Session } from './session';

const user: User = { id: 'u-1', email: 'zritel@example.ru', name: 'Зритель', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'customer', email_verified: false };
const sessionAnswer = (u: User) => new Response(JSON.stringify({ signed_in: true, csrf_token: 'c-1', ...u }), { status: 200 });

// Renders the provider and hands out its current value.
function mount() {
  let current: Session | null = null;
  function Probe() {
    current = useSession();
    const u = current.user;
    return <p data-testid="who">{current.loading ? 'loading' : u ? `${u.email} ${emailVerified(u) ? 'confirmed' : 'unconfirmed'}` : 'visitor'}</p>;
  }
  render(
    <SessionProvider>
      <Probe />
    </SessionProvider>,
  );
  return () => current!;
}

afterEach(() => vi.unstubAllGlobals());

describe('session', () => {
  it('takes a missing email_verified for a confirmed address', () => {
    const { email_verified: _omitted, ...older } = user;
    expect(emailVerified(older)).toBe(true);
    expect(emailVerified({ ...user, email_verified: true })).toBe(true);
    expect(emailVerified(user)).toBe(false);
  });

  it('keeps the answer of the latest refresh when an earlier one arrives after it', async () => {
    // The first GET /session (asked before the address was confirmed) answers last.
    const answers: ((r: Response) => void)[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn((url: string) =>
        url === '/api/v1/session'
          ? new Promise<Response>((resolve) => answers.push(resolve))
          : Promise.resolve(new Response(JSON.stringify({ title: 'Не найдено', status: 404 }), { status: 404 })),
      ),
    );
    const session = mount();
    await waitFor(() => expect(answers).toHaveLength(1));
    let second: Promise<void> = Promise.resolve();
    act(() => {
      second = session().refresh();
    });
    await waitFor(() => expect(answers).toHaveLength(2));

    await act(async () => {
      answers[1](sessionAnswer({ ...user, email_verified: true }));
      await second;
    });
    expect(screen.getByTestId('who')).toHaveTextContent('zritel@example.ru confirmed');
    await act(async () => answers[0](sessionAnswer(user)));
    // A moment later: the stale answer changed nothing.
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId('who')).toHaveTextContent('zritel@example.ru confirmed');
  });

  it('stays loading until the latest refresh has answered', async () => {
    const answers: ((r: Response) => void)[] = [];
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>((resolve) => answers.push(resolve))));
    const session = mount();
    await waitFor(() => expect(answers).toHaveLength(1));
    act(() => void session().refresh());
    await waitFor(() => expect(answers).toHaveLength(2));
    await act(async () => answers[0](new Response(JSON.stringify({ signed_in: false }), { status: 200 })));
    expect(screen.getByTestId('who')).toHaveTextContent('loading');
    await act(async () => answers[1](new Response(JSON.stringify({ signed_in: false }), { status: 200 })));
    await waitFor(() => expect(screen.getByTestId('who')).toHaveTextContent('visitor'));
  });

  it('updateUser keeps what is known about the address when the answer does not say', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) =>
        url === '/api/v1/session' ? sessionAnswer(user) : new Response(JSON.stringify({ title: 'Не найдено', status: 404 }), { status: 404 }),
      ),
    );
    const session = mount();
    await waitFor(() => expect(screen.getByTestId('who')).toHaveTextContent('zritel@example.ru unconfirmed'));
    const { email_verified: _omitted, ...patched } = { ...user, name: 'Мария' };
    act(() => session().updateUser(patched));
    expect(session().user).toEqual({ ...user, name: 'Мария', email_verified: false });
    act(() => session().updateUser({ ...patched, email_verified: true }));
    expect(screen.getByTestId('who')).toHaveTextContent('zritel@example.ru confirmed');
  });
});
