import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { setCsrfToken } from '@/lib/api-client';
import type { Session } from '@/lib/session';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { User } from '@/types/api';
import { EmailVerificationBanner } from './email-verification-banner';

const verified: User = { id: 'u-1', email: 'zritel@example.ru', name: 'Зритель', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'customer', email_verified: true };
const unverified: User = { ...verified, email_verified: false };
const { email_verified: _omitted, ...older } = verified;
const TEXT = 'Подтвердите адрес почты zritel@example.ru: мы отправили на него письмо со ссылкой.';
const isResend = (url: string, init: RequestInit) => url === '/api/v1/me/email-verification' && init.method === 'POST';

function show(session: Partial<Session>, path = '/rentals') {
  return renderWithProviders(<EmailVerificationBanner />, { path, session });
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('the banner «Подтвердите адрес почты»', () => {
  it('is shown to a signed-in customer whose address is unconfirmed, with the address and «Отправить письмо ещё раз»', () => {
    const { calls } = stubApi([]);
    show({ user: unverified });
    const banner = screen.getByRole('region', { name: 'Подтверждение почты' });
    expect(banner).toHaveTextContent(TEXT);
    expect(within(banner).getByRole('button', { name: 'Отправить письмо ещё раз' })).toBeEnabled();
    // The live region is there before anything is said in it; nothing is sent until asked.
    expect(within(banner).getByRole('status')).toBeEmptyDOMElement();
    expect(calls).toHaveLength(0);
  });

  it('is not shown for a confirmed address, an answer without email_verified, a visitor, or while the session loads', () => {
    stubApi([]);
    for (const session of [{ user: verified }, { user: older }, { user: null }, { user: unverified, loading: true }]) {
      const { unmount } = show(session);
      expect(screen.queryByRole('region', { name: 'Подтверждение почты' })).toBeNull();
      expect(screen.queryByText(/Подтвердите адрес почты/)).toBeNull();
      unmount();
    }
  });

  it('is not shown on /verify-email, which confirms the address itself', () => {
    stubApi([]);
    show({ user: unverified }, '/verify-email');
    expect(screen.queryByRole('region', { name: 'Подтверждение почты' })).toBeNull();
  });

  it('sends the email again with the CSRF header and says what the store answered', async () => {
    setCsrfToken('csrf-1');
    const detail = 'Мы отправили письмо на zritel@example.ru. Ссылка в нём действует 24 часа.';
    const { calls } = stubApi([{ match: isResend, status: 202, body: { detail } }]);
    show({ user: unverified });
    fireEvent.click(screen.getByRole('button', { name: 'Отправить письмо ещё раз' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(detail));
    const post = calls.filter((c) => isResend(c.url, c.init));
    expect(post).toHaveLength(1);
    expect((post[0].init.headers as Record<string, string>)['X-CSRF-Token']).toBe('csrf-1');
    expect(screen.getByRole('status')).not.toHaveClass('resend-problem');
    expect(screen.getByRole('button', { name: 'Отправить письмо ещё раз' })).toBeEnabled();
    // The account keeps working: the banner stays until the link is opened.
    expect(screen.getByRole('region', { name: 'Подтверждение почты' })).toHaveTextContent(TEXT);
  });

  it('shows the detail of «too often» (429) in the same polite region', async () => {
    const detail = 'Письма уже отправлялись несколько раз. Попробуйте позже';
    stubApi([{ match: isResend, status: 429, body: { title: 'Слишком много запросов', status: 429, detail } }]);
    show({ user: unverified });
    fireEvent.click(screen.getByRole('button', { name: 'Отправить письмо ещё раз' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(detail));
    expect(screen.getByRole('status')).toHaveClass('resend-problem');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('button', { name: 'Отправить письмо ещё раз' })).toBeEnabled();
  });

  it('shows the detail when the address turns out to be confirmed already (409)', async () => {
    stubApi([{ match: isResend, status: 409, body: { title: 'Конфликт', status: 409, detail: 'Адрес почты уже подтверждён' } }]);
    show({ user: unverified });
    fireEvent.click(screen.getByRole('button', { name: 'Отправить письмо ещё раз' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Адрес почты уже подтверждён'));
  });
});
