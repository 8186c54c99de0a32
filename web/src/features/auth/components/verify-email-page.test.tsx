import { StrictMode } from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { SessionContext, type Session } from '@/lib/session';
import { stubApi, testSession } from '@/testing/test-utils';
import type { User } from '@/types/api';
import { EMAIL_CONFIRMED, LINK_INCOMPLETE, VerifyEmailPage } from './verify-email-page';

const unverified: User = { id: 'u-1', email: 'zritel@example.ru', name: 'Зритель', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'customer', email_verified: false };
const verified: User = { ...unverified, email_verified: true };
const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE';
const isVerify = (url: string, init: RequestInit) => url === '/api/v1/auth/verify-email' && init.method === 'POST';
const isResend = (url: string, init: RequestInit) => url === '/api/v1/me/email-verification' && init.method === 'POST';
const deadLink = {
  match: isVerify,
  status: 422,
  body: {
    title: 'Ссылка для подтверждения почты не подошла',
    status: 422,
    errors: [{ field: 'token', message: 'Ссылка недействительна или устарела: отправьте письмо ещё раз' }],
  },
};

// The app at /verify-email with the emailed fragment, under StrictMode at the root as main.tsx renders it: effects
// run twice on mount (React does that only under a StrictMode above the newly mounted tree, hence no
// renderWithProviders here, whose router would be that tree's root).
function openLink(hash: string, session: Partial<Session> = {}) {
  window.history.replaceState(null, '', `/verify-email${hash}`);
  const refresh = vi.fn(async () => undefined);
  render(
    <StrictMode>
      <MemoryRouter initialEntries={['/verify-email']}>
        <SessionContext.Provider value={testSession({ refresh, ...session })}>
          <Routes>
            <Route path="/verify-email" element={<VerifyEmailPage />} />
          </Routes>
        </SessionContext.Provider>
      </MemoryRouter>
    </StrictMode>,
  );
  return refresh;
}

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('the page of the confirmation link (/verify-email)', () => {
  it('takes the token out of the address, posts it once, refreshes the session, then says the address is confirmed', async () => {
    const detail = 'Адрес почты zritel@example.ru подтверждён.';
    const { calls } = stubApi([{ match: isVerify, body: { email: 'zritel@example.ru', changed: false, detail } }]);
    const refresh = openLink(`#token=${TOKEN}`, { user: unverified });
    expect(screen.getByRole('heading', { name: 'Подтверждение почты', level: 1 })).toBeInTheDocument();
    await waitFor(() => expect(window.location.hash).toBe(''));
    expect(window.location.pathname).toBe('/verify-email');

    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(EMAIL_CONFIRMED));
    expect(screen.getByText(EMAIL_CONFIRMED).tagName).toBe('STRONG');
    expect(screen.getByRole('status')).toHaveTextContent(detail);
    expect(EMAIL_CONFIRMED).toBe('Адрес почты подтверждён');
    const posts = calls.filter((c) => isVerify(c.url, c.init));
    expect(posts).toHaveLength(1);
    expect(JSON.parse(posts[0].init.body as string)).toEqual({ token: TOKEN });
    // The session (and with it the banner) was refreshed before the page said so.
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('link', { name: 'Перейти в профиль' })).toHaveAttribute('href', '/account');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('after a change of address says which address the account has now', async () => {
    stubApi([{ match: isVerify, body: { email: 'novyi@example.ru', changed: true, detail: 'Теперь письма магазина приходят на novyi@example.ru.' } }]);
    const refresh = openLink(`#token=${TOKEN}`, { user: verified });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Адрес почты изменён на novyi@example.ru'));
    expect(screen.getByRole('status')).toHaveTextContent('Теперь письма магазина приходят на novyi@example.ru.');
    expect(screen.queryByText(EMAIL_CONFIRMED)).toBeNull();
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('works without a session: the link alone confirms the address, and the page offers to sign in', async () => {
    stubApi([{ match: isVerify, body: { email: 'zritel@example.ru', changed: false, detail: EMAIL_CONFIRMED } }]);
    openLink(`#token=${TOKEN}`, { user: null });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(EMAIL_CONFIRMED));
    // The detail that only repeats the title is not shown twice.
    expect(screen.getByRole('status').textContent!.split(EMAIL_CONFIRMED)).toHaveLength(2);
    expect(screen.getByRole('link', { name: 'Войти в магазин' })).toHaveAttribute('href', '/login');
  });

  it('a dead link (422): says why and offers a new email to a signed-in customer whose address is unconfirmed', async () => {
    const sent = 'Мы отправили письмо на zritel@example.ru. Ссылка в нём действует 24 часа.';
    const { calls } = stubApi([deadLink, { match: isResend, status: 202, body: { detail: sent } }]);
    const refresh = openLink(`#token=${TOKEN}`, { user: unverified });
    expect(await screen.findByRole('alert')).toHaveTextContent('Ссылка недействительна или устарела: отправьте письмо ещё раз');
    expect(refresh).not.toHaveBeenCalled();
    expect(screen.queryByText(EMAIL_CONFIRMED)).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Отправить письмо ещё раз' }));
    await waitFor(() => expect(screen.getAllByRole('status').some((s) => s.textContent === sent)).toBe(true));
    expect(calls.filter((c) => isResend(c.url, c.init))).toHaveLength(1);
    expect(calls.filter((c) => isVerify(c.url, c.init))).toHaveLength(1);
  });

  it('a dead link for a visitor: asks to sign in to get a new email', async () => {
    stubApi([deadLink]);
    openLink(`#token=${TOKEN}`, { user: null });
    expect(await screen.findByRole('alert')).toHaveTextContent('Ссылка недействительна или устарела');
    expect(screen.getByRole('link', { name: 'Войдите' })).toHaveAttribute('href', '/login?next=%2Faccount');
    expect(screen.queryByRole('button', { name: 'Отправить письмо ещё раз' })).toBeNull();
  });

  it('a dead link for a customer whose address is confirmed: no new email, the profile to start a change again', async () => {
    stubApi([deadLink]);
    openLink(`#token=${TOKEN}`, { user: verified });
    expect(await screen.findByRole('alert')).toHaveTextContent('Ссылка недействительна или устарела');
    expect(screen.queryByRole('button', { name: 'Отправить письмо ещё раз' })).toBeNull();
    expect(screen.getByText(/Адрес zritel@example.ru уже подтверждён/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'профиле' })).toHaveAttribute('href', '/account');
  });

  it('a malformed token (400) shows the server’s word on it', async () => {
    stubApi([
      {
        match: isVerify,
        status: 400,
        body: { title: 'Данные не прошли проверку', status: 400, errors: [{ field: 'token', message: 'Ссылка неполная: откройте её из письма ещё раз' }] },
      },
    ]);
    openLink('#token=short', { user: null });
    expect(await screen.findByRole('alert')).toHaveTextContent('Ссылка неполная: откройте её из письма ещё раз');
  });

  it('another refusal (the new address was taken meanwhile) shows the problem’s detail', async () => {
    stubApi([
      {
        match: isVerify,
        status: 409,
        body: { title: 'Адрес уже занят', status: 409, detail: 'Этот адрес почты уже используется другим аккаунтом', errors: [{ field: 'email', message: 'Этот адрес уже зарегистрирован' }] },
      },
    ]);
    openLink(`#token=${TOKEN}`, { user: verified });
    expect(await screen.findByRole('alert')).toHaveTextContent('Этот адрес почты уже используется другим аккаунтом');
  });

  it('without a token in the fragment says the link is incomplete and sends nothing', () => {
    const { calls } = stubApi([]);
    const refresh = openLink('', { user: unverified });
    expect(screen.getByRole('alert')).toHaveTextContent(LINK_INCOMPLETE);
    expect(LINK_INCOMPLETE).toBe('Ссылка неполная: откройте её из письма ещё раз');
    expect(screen.getByRole('button', { name: 'Отправить письмо ещё раз' })).toBeInTheDocument();
    expect(screen.queryByText('Проверяем ссылку…')).toBeNull();
    expect(calls).toHaveLength(0);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('says it is checking the link while the answer is on its way', async () => {
    let answer: (r: Response) => void = () => undefined;
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>((resolve) => (answer = resolve))));
    openLink(`#token=${TOKEN}`, { user: unverified });
    expect(screen.getByRole('status')).toHaveTextContent('Проверяем ссылку…');
    answer(new Response(JSON.stringify({ email: 'zritel@example.ru', changed: false }), { status: 200 }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(EMAIL_CONFIRMED));
    expect(screen.getByRole('status')).not.toHaveTextContent('Проверяем ссылку…');
  });
});
