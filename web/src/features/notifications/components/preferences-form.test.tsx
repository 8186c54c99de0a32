import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { User } from '@/types/api';
import { NotificationsPage } from './notifications-page';
import { PreferencesForm } from './preferences-form';

const isPrefs = (url: string) => url === '/api/v1/me/notifications';
const isPatch = (url: string, init: RequestInit) => isPrefs(url) && init.method === 'PATCH';
const HINT = 'Чтобы получать SMS, подтвердите номер телефона в профиле';
const sms = () => screen.getByRole('switch', { name: /^SMS/ });
const user: User = { id: 'u-1', email: 'zritel@example.ru', name: 'Зритель', phone: '+79991234567', phone_verified: false, time_zone: 'Europe/Moscow', role: 'customer' };

afterEach(() => vi.unstubAllGlobals());

describe('notification preferences', () => {
  it('switches reminders off by themselves, keeping the channels as they are', async () => {
    const prefs = { email: true, sms: false, in_app: true, reminders: true };
    const { calls } = stubApi([
      { match: (url: string, init: RequestInit) => isPrefs(url) && init.method === 'PATCH', body: { ...prefs, reminders: false } },
      { match: isPrefs, body: prefs },
    ]);
    renderWithProviders(<PreferencesForm phoneVerified />);
    const reminders = await screen.findByRole('switch', { name: /Напоминания о показах/ });
    expect(reminders).toBeChecked();
    fireEvent.click(reminders);
    await waitFor(() => expect(screen.getByRole('switch', { name: /Напоминания о показах/ })).not.toBeChecked());
    const patch = calls.find((c) => isPrefs(c.url) && c.init.method === 'PATCH')!;
    expect(JSON.parse(patch.init.body as string)).toEqual({ ...prefs, reminders: false });
    expect(screen.getByRole('switch', { name: /Электронная почта/ })).toBeChecked();
  });

  it('keeps SMS switched off without a confirmed number, and says where to confirm it', async () => {
    const prefs = { email: true, sms: false, in_app: true, reminders: true };
    const { calls } = stubApi([{ match: isPrefs, body: prefs }]);
    renderWithProviders(<PreferencesForm phoneVerified={false} />);
    await screen.findByRole('switch', { name: /Электронная почта/ });
    expect(sms()).toBeDisabled();
    expect(sms()).not.toBeChecked();
    expect(sms()).toHaveAccessibleDescription(HINT);
    expect(screen.getByRole('link', { name: 'подтвердите номер телефона в профиле' })).toHaveAttribute('href', '/account');
    // The other channels work as before.
    expect(screen.getByRole('switch', { name: /Электронная почта/ })).toBeEnabled();
    expect(screen.getByRole('switch', { name: /В личном кабинете/ })).toBeEnabled();
    fireEvent.click(sms());
    expect(calls.filter((c) => isPatch(c.url, c.init))).toHaveLength(0);
  });

  it('lets SMS chosen earlier be switched off while the number is unconfirmed', async () => {
    const prefs = { email: true, sms: true, in_app: true, reminders: true };
    const { calls } = stubApi([
      { match: isPatch, body: { ...prefs, sms: false } },
      { match: isPrefs, body: prefs },
    ]);
    renderWithProviders(<PreferencesForm phoneVerified={false} />);
    await waitFor(() => expect(sms()).toBeChecked());
    expect(sms()).toBeEnabled();
    expect(screen.getByText(/Чтобы получать SMS/)).toHaveTextContent(HINT);
    fireEvent.click(sms());
    await waitFor(() => expect(sms()).not.toBeChecked());
    expect(JSON.parse(calls.find((c) => isPatch(c.url, c.init))!.init.body as string)).toEqual({ ...prefs, sms: false });
    // Off now, it cannot be switched on again until the number is confirmed.
    expect(sms()).toBeDisabled();
  });

  it('switches SMS on for a confirmed number, with no hint', async () => {
    const prefs = { email: true, sms: false, in_app: true, reminders: true };
    const { calls } = stubApi([
      { match: isPatch, body: { ...prefs, sms: true } },
      { match: isPrefs, body: prefs },
    ]);
    renderWithProviders(<PreferencesForm phoneVerified />);
    await screen.findByRole('switch', { name: /^SMS/ });
    expect(sms()).toBeEnabled();
    expect(screen.queryByText(/Чтобы получать SMS/)).toBeNull();
    fireEvent.click(sms());
    await waitFor(() => expect(sms()).toBeChecked());
    expect(JSON.parse(calls.find((c) => isPatch(c.url, c.init))!.init.body as string)).toEqual({ ...prefs, sms: true });
  });

  it('on the notifications page, follows the signed-in customer’s number', async () => {
    const prefs = { email: true, sms: false, in_app: true, reminders: true };
    stubApi([
      { match: isPrefs, body: prefs },
      { match: (url: string) => url === '/api/v1/notifications', body: { items: [], unread: 0 } },
    ]);
    const { unmount } = renderWithProviders(<NotificationsPage />, { path: '/notifications', session: { user } });
    await screen.findByText('Уведомлений пока нет.');
    await waitFor(() => expect(sms()).toBeDisabled());
    unmount();
    renderWithProviders(<NotificationsPage />, { path: '/notifications', session: { user: { ...user, phone_verified: true } } });
    await screen.findByText('Уведомлений пока нет.');
    await waitFor(() => expect(sms()).toBeEnabled());
    expect(screen.queryByText(/Чтобы получать SMS/)).toBeNull();
  });
});
