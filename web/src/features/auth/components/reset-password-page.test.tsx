import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { User } from '@/types/api';
import { tokenFromFragment } from '../fragment-token';
import { PASSWORD_CHANGED, ResetPasswordPage } from './reset-password-page';

const user: User = { id: 'u-1', email: 'zritel@example.ru', name: 'Зритель', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'customer' };
const isConfirm = (url: string, init: RequestInit) => url === '/api/v1/auth/password-reset/confirm' && init.method === 'POST';
const LABEL = 'Новый пароль (не короче 12 символов)';

// The app at /reset-password with the emailed fragment; the router's entry has none (as after the change).
function openLink(hash: string, signedIn = vi.fn(async () => undefined)) {
  window.history.replaceState(null, '', `/reset-password${hash}`);
  function Rentals() {
    const location = useLocation();
    return <p data-testid="rentals">{(location.state as { notice?: string } | null)?.notice}</p>;
  }
  renderWithProviders(
    <Routes>
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route path="/rentals" element={<Rentals />} />
    </Routes>,
    { path: '/reset-password', session: { signedIn } },
  );
  return signedIn;
}

function submit(password: string) {
  fireEvent.change(screen.getByLabelText(LABEL), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Сохранить пароль' }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('reset password page', () => {
  it('takes the token from the fragment, clears it from the address, saves the password, signs in and goes to the rentals', async () => {
    const { calls } = stubApi([{ match: isConfirm, body: { user, csrf_token: 'c-1' } }]);
    const signedIn = openLink('#token=abc-DEF_123');
    expect(screen.getByRole('heading', { name: 'Новый пароль', level: 1 })).toBeInTheDocument();
    await waitFor(() => expect(window.location.hash).toBe(''));
    expect(window.location.pathname).toBe('/reset-password');
    expect(screen.getByLabelText(LABEL)).toHaveAttribute('autocomplete', 'new-password');

    submit('совсем-новый-пароль');
    expect(await screen.findByTestId('rentals')).toHaveTextContent(PASSWORD_CHANGED);
    const post = calls.find((c) => isConfirm(c.url, c.init))!;
    expect(JSON.parse(post.init.body as string)).toEqual({ token: 'abc-DEF_123', password: 'совсем-новый-пароль' });
    expect(signedIn).toHaveBeenCalledWith(user);
  });

  it('says the link is dead and offers a new one when the server refuses the token', async () => {
    stubApi([
      {
        match: isConfirm,
        status: 422,
        body: { title: 'Данные не прошли проверку', status: 422, errors: [{ field: 'token', message: 'Ссылка недействительна или устарела: запросите новую' }] },
      },
    ]);
    const signedIn = openLink('#token=used');
    submit('совсем-новый-пароль');
    expect(await screen.findByRole('alert')).toHaveTextContent('Ссылка недействительна или устарела: запросите новую');
    expect(screen.getByRole('link', { name: 'Запросить новую ссылку' })).toHaveAttribute('href', '/forgot-password');
    expect(signedIn).not.toHaveBeenCalled();
  });

  it('puts the server’s word on the password next to the field', async () => {
    stubApi([
      {
        match: isConfirm,
        status: 422,
        body: { title: 'Данные не прошли проверку', status: 422, errors: [{ field: 'password', message: 'Пароль слишком простой' }] },
      },
    ]);
    openLink('#token=abc');
    submit('123456789012');
    const message = await screen.findByText('Пароль слишком простой');
    expect(message.id).toBe('password-error');
    expect(screen.getByLabelText(LABEL)).toHaveAttribute('aria-describedby', 'password-error');
    expect(screen.getByLabelText(LABEL)).toHaveAttribute('aria-invalid', 'true');
  });

  it('checks the length before asking the server', async () => {
    const { calls } = stubApi([]);
    openLink('#token=abc');
    submit('короткий');
    expect(await screen.findByText('Пароль должен быть не короче 12 символов')).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });

  it('without a token in the fragment says the link is incomplete', () => {
    stubApi([]);
    openLink('');
    expect(screen.getByRole('alert')).toHaveTextContent('Ссылка неполная: откройте её из письма ещё раз или запросите новую');
    expect(screen.getByRole('link', { name: 'Запросить новую ссылку' })).toHaveAttribute('href', '/forgot-password');
    expect(screen.queryByRole('button', { name: 'Сохранить пароль' })).not.toBeInTheDocument();
  });

  it('reads the token out of the fragment', () => {
    expect(tokenFromFragment('#token=abc')).toBe('abc');
    expect(tokenFromFragment('#a=1&token=x-y_z')).toBe('x-y_z');
    expect(tokenFromFragment('#token=')).toBeNull();
    expect(tokenFromFragment('')).toBeNull();
  });
});
