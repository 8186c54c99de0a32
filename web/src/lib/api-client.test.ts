import { api, ApiError, setCsrfToken } from './api-client';

function respond(status: number, body: unknown, contentType = 'application/json') {
  return vi.fn().mockImplementation(async () =>
    new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'Content-Type': contentType } }),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('api client', () => {
  it('sends the CSRF token on state changes only and keeps a new one from the answer', async () => {
    const fetch = respond(200, { user: { id: '1' }, csrf_token: 'tok-1' });
    vi.stubGlobal('fetch', fetch);
    await api('POST', '/auth/login', { body: { email: 'a@b.ru' } });
    expect(fetch.mock.calls[0][1].headers['X-CSRF-Token']).toBeUndefined();
    await api('POST', '/cart/items', { body: { premiere_id: 1 } });
    expect(fetch.mock.calls[1][0]).toBe('/api/v1/cart/items');
    expect(fetch.mock.calls[1][1].headers['X-CSRF-Token']).toBe('tok-1');
    expect(fetch.mock.calls[1][1].credentials).toBe('same-origin');
    await api('GET', '/cart');
    expect(fetch.mock.calls[2][1].headers['X-CSRF-Token']).toBeUndefined();
  });

  it('turns problem+json into an ApiError with the fields at fault', async () => {
    vi.stubGlobal(
      'fetch',
      respond(422, { title: 'Данные не прошли проверку', status: 422, detail: 'Проверьте поле items[0].period',
        errors: [{ field: 'items[0].period', message: 'Можно выбрать: 12, 24 ч.' }] }, 'application/problem+json'),
    );
    const err = (await api('POST', '/orders', { body: {} }).catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.detail).toBe('Проверьте поле items[0].period');
    expect(err.fieldError('items[0].period')).toBe('Можно выбрать: 12, 24 ч.');
  });

  it('explains a network failure in Russian', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const err = (await api('GET', '/search/?q=').catch((e) => e)) as ApiError;
    expect(err.status).toBe(0);
    expect(err.detail).toContain('Не удалось связаться');
  });
});
