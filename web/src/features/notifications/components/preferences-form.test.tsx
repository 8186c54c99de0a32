import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import { PreferencesForm } from './preferences-form';

const isPrefs = (url: string) => url === '/api/v1/me/notifications';

afterEach(() => vi.unstubAllGlobals());

describe('notification preferences', () => {
  it('switches reminders off by themselves, keeping the channels as they are', async () => {
    const prefs = { email: true, sms: false, in_app: true, reminders: true };
    const { calls } = stubApi([
      { match: (url: string, init: RequestInit) => isPrefs(url) && init.method === 'PATCH', body: { ...prefs, reminders: false } },
      { match: isPrefs, body: prefs },
    ]);
    renderWithProviders(<PreferencesForm />);
    const reminders = await screen.findByRole('switch', { name: /Напоминания о показах/ });
    expect(reminders).toBeChecked();
    fireEvent.click(reminders);
    await waitFor(() => expect(screen.getByRole('switch', { name: /Напоминания о показах/ })).not.toBeChecked());
    const patch = calls.find((c) => isPrefs(c.url) && c.init.method === 'PATCH')!;
    expect(JSON.parse(patch.init.body as string)).toEqual({ ...prefs, reminders: false });
    expect(screen.getByRole('switch', { name: /Электронная почта/ })).toBeChecked();
  });
});
