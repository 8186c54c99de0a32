import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { AdminPremiere, AdminShow } from '@/types/api';
import { premiere as fixture } from '../premiere-fixture';
import { PremiereEditorPage } from './premiere-editor-page';

// The fixture with no discount and one period, so a price change is the only difference.
const premiere: AdminPremiere = { ...fixture, discount_percent: 0, discount_until: null, featured: false, periods: [{ hours: 24, factor: '1.000' }] };

const admin = { user: { id: 'a', email: 'admin@chance.local', name: 'Админ', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'admin' } };
const isPatch = (url: string, init: RequestInit) => url === '/api/v1/admin/premieres/7' && init.method === 'PATCH';
const getRoutes = [
  { match: (url: string, init: RequestInit) => url === '/api/v1/admin/premieres/7' && (init.method ?? 'GET') === 'GET', body: premiere },
  { match: (url: string) => url === '/api/v1/admin/premieres/7/history', body: { items: [] } },
  { match: (url: string, init: RequestInit) => url === '/api/v1/admin/premieres/7/shows' && (init.method ?? 'GET') === 'GET', body: { items: [] } },
];

function renderEditor() {
  return renderWithProviders(
    <Routes>
      <Route path="/admin/premieres/:id" element={<PremiereEditorPage />} />
    </Routes>,
    { path: '/admin/premieres/7', session: admin },
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('premiere editor', () => {
  it('sends only the changed price with the version it read', async () => {
    const { calls } = stubApi([...getRoutes, { match: isPatch, body: (_u: string, init: RequestInit) => ({ ...premiere, ...JSON.parse(String(init.body)), version: 4 }) }]);
    renderEditor();
    const price = await screen.findByLabelText('Цена онлайн за базовый срок, ₽');
    expect((price as HTMLInputElement).value).toBe('599');
    fireEvent.change(price, { target: { value: '649,50' } });
    fireEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    await screen.findByText('Сохранено: покупатели уже видят изменения.');
    const patch = calls.find((c) => isPatch(c.url, c.init))!;
    expect(JSON.parse(String(patch.init.body))).toEqual({ price_online: 64950, version: 3 });
    expect(screen.getByText(/Версия 4/)).toBeTruthy();
  });

  it('shows the service’s 422 next to the field and a 409 with a way to reload', async () => {
    const invalid = { title: 'Некорректные данные', status: 422, detail: 'Проверьте поле discount_percent', errors: [{ field: 'discount_percent', message: 'Допустимо от 0 до 100' }] };
    stubApi([...getRoutes, { match: isPatch, status: 422, body: invalid }]);
    renderEditor();
    fireEvent.change(await screen.findByLabelText('Скидка, %'), { target: { value: '150' } });
    fireEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    expect(await screen.findByText('Допустимо от 0 до 100')).toBeTruthy();
    expect(screen.getByLabelText('Скидка, %').getAttribute('aria-invalid')).toBe('true');

    vi.unstubAllGlobals();
    stubApi([...getRoutes, { match: isPatch, status: 409, body: { title: 'Конфликт', status: 409, detail: 'Премьеру уже изменили: обновите страницу и повторите правку' } }]);
    fireEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    expect(await screen.findByText('Премьеру уже изменили: обновите страницу и повторите правку')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Загрузить свежую версию' })).toBeTruthy();
  });

  it('does not send anything the browser can already tell is not a number', async () => {
    const { calls } = stubApi(getRoutes);
    renderEditor();
    fireEvent.change(await screen.findByLabelText('Цена в театре, ₽'), { target: { value: 'дорого' } });
    fireEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    expect(await screen.findByText('Сумма в рублях, например 499 или 499,90')).toBeTruthy();
    await waitFor(() => expect(calls.some((c) => c.init.method === 'PATCH')).toBe(false));
  });

  it('lists the shows, adds one, and cancels one after asking, saying how many buyers got their money back', async () => {
    // 19:00 Moscow on 7 December 2098, two of three seats taken; and an older one cancelled already.
    const taken: AdminShow = { id: 11, starts_at: '2098-12-07T16:00:00Z', capacity: 3, seats_taken: 2, cancelled_at: null };
    const gone: AdminShow = { id: 10, starts_at: '2098-12-06T16:00:00Z', capacity: 5, seats_taken: 0, cancelled_at: '2098-12-01T09:00:00Z' };
    let shows = [gone, taken];
    const isShows = (url: string) => url === '/api/v1/admin/premieres/7/shows';
    const isCancel = (url: string, init: RequestInit) => url === '/api/v1/admin/shows/11/cancel' && init.method === 'POST';
    let posts = 0;
    const stub = stubApi([
      {
        match: (url: string, init: RequestInit) => isShows(url) && init.method === 'POST',
        status: 201,
        body: (_u: string, init: RequestInit) => {
          posts += 1;
          const body = JSON.parse(String(init.body)) as { starts_at: string; capacity: number };
          const show: AdminShow = { id: 12, ...body, seats_taken: 0, cancelled_at: null };
          shows = [...shows, show];
          return show;
        },
      },
      {
        match: isCancel,
        body: () => {
          shows = shows.map((x) => (x.id === 11 ? { ...x, cancelled_at: '2098-12-02T09:00:00Z' } : x));
          return { show: shows.find((x) => x.id === 11), refunded: 2, pending: 0 };
        },
      },
      ...getRoutes.slice(0, 2),
      { match: (url: string, init: RequestInit) => isShows(url) && (init.method ?? 'GET') === 'GET', body: () => ({ items: shows }) },
    ]);
    renderEditor();

    const section = await screen.findByRole('region', { name: 'Показы' });
    const rows = () => within(section).getAllByTestId('admin-show');
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[0].textContent).toContain('Отменён 01.12.2098, 12:00');
    expect(within(rows()[0]).queryByRole('button')).toBeNull();
    expect(rows()[1].textContent).toContain('07.12.2098, 19:00');
    expect(rows()[1].textContent).toContain('Занято мест: 2 из 3');

    // A capacity out of range is refused before sending; then the show is added, in UTC.
    fireEvent.change(within(section).getByLabelText('Начало показа'), { target: { value: '2098-12-08T19:30' } });
    fireEvent.change(within(section).getByLabelText('Мест онлайн'), { target: { value: '0' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Добавить показ' }));
    expect(await within(section).findByText('Целое число от 1 до 100 000')).toBeInTheDocument();
    expect(posts).toBe(0);
    fireEvent.change(within(section).getByLabelText('Мест онлайн'), { target: { value: '40' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Добавить показ' }));
    expect(await within(section).findByText('Показ добавлен: 08.12.2098, 19:30, мест: 40.')).toBeInTheDocument();
    const post = stub.calls.find((c) => isShows(c.url) && c.init.method === 'POST')!;
    expect(JSON.parse(String(post.init.body))).toEqual({ starts_at: '2098-12-08T16:30:00Z', capacity: 40 });
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(within(section).getByLabelText('Начало показа')).toHaveValue('');

    // «Отменить показ» asks first; «Не отменять» keeps it.
    fireEvent.click(within(rows()[1]).getByRole('button', { name: 'Отменить показ' }));
    const question = within(rows()[1]).getByRole('group', { name: 'Отменить показ? Все купившие места получат деньги обратно и письмо.' });
    fireEvent.click(within(question).getByRole('button', { name: 'Не отменять' }));
    expect(stub.calls.some((c) => isCancel(c.url, c.init))).toBe(false);
    fireEvent.click(within(rows()[1]).getByRole('button', { name: 'Отменить показ' }));
    fireEvent.click(within(rows()[1]).getByRole('button', { name: 'Да, отменить показ' }));
    expect(await within(section).findByText('Отменено, деньги вернулись 2 покупателям (показ 07.12.2098, 19:00).')).toHaveAttribute('role', 'status');
    await waitFor(() => expect(rows()[1].textContent).toContain('Отменён 02.12.2098, 12:00'));
    expect(within(rows()[1]).queryByRole('button', { name: 'Отменить показ' })).toBeNull();
    expect(stub.calls.filter((c) => isCancel(c.url, c.init))).toHaveLength(1);
  });

  it('shows the service’s refusal of a new show next to the field it names', async () => {
    stubApi([
      {
        match: (url: string, init: RequestInit) => url === '/api/v1/admin/premieres/7/shows' && init.method === 'POST',
        status: 409,
        body: { title: 'Показ уже есть', status: 409, detail: 'Показ в это время уже есть', errors: [{ field: 'starts_at', message: 'В это время показ уже есть' }] },
      },
      ...getRoutes,
    ]);
    renderEditor();
    const section = await screen.findByRole('region', { name: 'Показы' });
    await within(section).findByText('Показов пока нет.');
    fireEvent.change(within(section).getByLabelText('Начало показа'), { target: { value: '2098-12-08T19:30' } });
    fireEvent.change(within(section).getByLabelText('Мест онлайн'), { target: { value: '3' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Добавить показ' }));
    expect(await within(section).findByText('В это время показ уже есть')).toBeInTheDocument();
    expect(within(section).getByLabelText('Начало показа')).toHaveAttribute('aria-invalid', 'true');
    expect(within(section).queryByText('Показ в это время уже есть')).toBeNull();
  });
});
