import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import { UnsubscribePage } from './unsubscribe-page';

const isUnsubscribe = (url: string, init: RequestInit) => url.startsWith('/api/v1/notifications/unsubscribe?') && init.method === 'POST';

afterEach(() => vi.unstubAllGlobals());

describe('unsubscribe page', () => {
  it('posts the signed address from the link and shows what the store says', async () => {
    const { calls } = stubApi([{ match: isUnsubscribe, body: { detail: 'Напоминания о показах больше не придут на почту и по SMS' } }]);
    renderWithProviders(<UnsubscribePage />, { path: '/unsubscribe?u=17&t=abc' });
    fireEvent.click(screen.getByRole('button', { name: 'Отписаться' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Напоминания о показах больше не придут'));
    expect(calls.find((c) => isUnsubscribe(c.url, c.init))!.url).toBe('/api/v1/notifications/unsubscribe?u=17&t=abc');
    expect(screen.queryByRole('button', { name: 'Отписаться' })).not.toBeInTheDocument();
  });

  it('says so when the link is incomplete and sends nothing', () => {
    const { calls } = stubApi([]);
    renderWithProviders(<UnsubscribePage />, { path: '/unsubscribe?u=17' });
    expect(screen.getByRole('alert')).toHaveTextContent('Ссылка неполная');
    expect(screen.queryByRole('button', { name: 'Отписаться' })).not.toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });
});
