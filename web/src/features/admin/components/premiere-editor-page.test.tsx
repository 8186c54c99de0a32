import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { AdminPremiere } from '@/types/api';
import { premiere as fixture } from '../premiere-fixture';
import { PremiereEditorPage } from './premiere-editor-page';

// The fixture with no discount and one period, so a price change is the only difference.
const premiere: AdminPremiere = { ...fixture, discount_percent: 0, discount_until: null, featured: false, periods: [{ hours: 24, factor: '1.000' }] };

const admin = { user: { id: 'a', email: 'admin@chance.local', name: 'Админ', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'admin' } };
const isPatch = (url: string, init: RequestInit) => url === '/api/v1/admin/premieres/7' && init.method === 'PATCH';
const getRoutes = [
  { match: (url: string, init: RequestInit) => url === '/api/v1/admin/premieres/7' && (init.method ?? 'GET') === 'GET', body: premiere },
  { match: (url: string) => url === '/api/v1/admin/premieres/7/history', body: { items: [] } },
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
});
