import { fireEvent, screen, within } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { AdminShow, User } from '@/types/api';
import { PremiereShows } from './premiere-shows';

const admin: User = { id: 'u-1', email: 'admin@chance.local', name: 'Админ', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'admin' };

afterEach(() => vi.unstubAllGlobals());

describe('PremiereShows (the panel «Касса театра» shares)', () => {
  it('goes to the admin’s endpoints, as a panel of its own', async () => {
    const shows: AdminShow[] = [{ id: 11, starts_at: '2098-12-07T16:00:00Z', capacity: 5, seats_taken: 2, cancelled_at: null }];
    const stub = stubApi([
      { match: (url, init) => url === '/api/v1/admin/premieres/1/shows' && (init.method ?? 'GET') === 'GET', body: { items: shows } },
      { match: (url, init) => url === '/api/v1/admin/premieres/1/shows' && init.method === 'POST', status: 201, body: { ...shows[0], id: 12, seats_taken: 0 } },
      { match: (url, init) => url === '/api/v1/admin/shows/11/cancel' && init.method === 'POST', body: { show: { ...shows[0], cancelled_at: '2098-12-02T09:00:00Z' }, refunded: 2, pending: 0 } },
    ]);
    renderWithProviders(<PremiereShows premiereId={1} timeZone="Europe/Moscow" />, { session: { user: admin } });
    const section = await screen.findByRole('region', { name: 'Показы' });
    expect(within(section).getByRole('heading', { level: 2, name: 'Показы' })).toBeInTheDocument();
    expect(section).toHaveClass('panel', 'admin-shows');
    const row = await within(section).findByTestId('admin-show');
    fireEvent.change(within(section).getByLabelText('Начало показа'), { target: { value: '2098-12-07T19:00' } });
    fireEvent.change(within(section).getByLabelText('Мест онлайн'), { target: { value: '5' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Добавить показ' }));
    await within(section).findByText('Показ добавлен: 07.12.2098, 19:00, мест: 5.');
    fireEvent.click(within(row).getByRole('button', { name: 'Отменить показ' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Да, отменить показ' }));
    await within(section).findByText('Отменено, деньги вернулись 2 покупателям (показ 07.12.2098, 19:00).');
    expect(stub.calls.map((c) => `${c.init.method ?? 'GET'} ${c.url}`)).toEqual([
      'GET /api/v1/admin/premieres/1/shows',
      'POST /api/v1/admin/premieres/1/shows',
      'GET /api/v1/admin/premieres/1/shows',
      'POST /api/v1/admin/shows/11/cancel',
      'GET /api/v1/admin/premieres/1/shows',
    ]);
  });
});
