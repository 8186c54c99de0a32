import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { DeadLetter } from '@/types/api';
import { DeadLettersPage } from './dead-letters-page';

const letter: DeadLetter = {
  id: 5,
  message_id: 'm-1',
  subject: 'notify.purchase_confirmed',
  reason: 'unknown template: purchase_confirmd',
  deliveries: 1,
  data: '{"id":"m-1"}',
  created_at: '2026-11-29T10:00:00Z',
  replayed: false,
};

afterEach(() => vi.unstubAllGlobals());

describe('dead letters', () => {
  it('lists each with its reason and sends one again', async () => {
    let replayed = false;
    const { calls } = stubApi([
      { match: (url) => url === '/api/v1/admin/notifications/dead-letters', body: () => ({ items: [{ ...letter, replayed }] }) },
      {
        match: (url, init) => url === '/api/v1/admin/notifications/dead-letters/5/replay' && init.method === 'POST',
        body: () => {
          replayed = true;
          return { status: 'replayed' };
        },
      },
    ]);
    renderWithProviders(<DeadLettersPage />, { path: '/admin/dead-letters' });
    expect(await screen.findByText('unknown template: purchase_confirmd')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Отправить снова/ }));
    expect(await screen.findByText('Отправлено повторно.')).toBeTruthy();
    await waitFor(() => expect(calls.filter((c) => c.init.method === 'POST')).toHaveLength(1));
  });

  it('says so when there are none', async () => {
    stubApi([{ match: (url) => url === '/api/v1/admin/notifications/dead-letters', body: { items: [] } }]);
    renderWithProviders(<DeadLettersPage />, { path: '/admin/dead-letters' });
    expect(await screen.findByText('Недоставленных сообщений нет.')).toBeTruthy();
  });
});
