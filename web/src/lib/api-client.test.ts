import { api, ApiError, getCsrfToken, query, setCsrfToken, setUnauthorizedHandler } from './api-client';

function reply(status: number, body: unknown, contentType = 'application/json') {
  return vi.fn(async () =>
    new Response(body === null ? null : typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': contentType },
    }),
  );
}

type Init = RequestInit & { headers: Record<string, string> };
const callInit = (fetchMock: ReturnType<typeof reply>, i: number) => (fetchMock.mock.calls[i] as unknown as [string, Init])[1];
const callUrl = (fetchMock: ReturnType<typeof reply>, i: number) => (fetchMock.mock.calls[i] as unknown as [string, Init])[0];

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('api client', () => {
  it('keeps the token from GET /me and sends it on POST, PATCH and DELETE but not on GET', async () => {
    const fetchMock = reply(200, { id: 'u1', email: 'a@b.ru', csrf_token: 'tok-me' });
    vi.stubGlobal('fetch', fetchMock);

    await api('GET', '/me');
    expect(callInit(fetchMock, 0).headers['X-CSRF-Token']).toBeUndefined();
    expect(getCsrfToken()).toBe('tok-me');

    await api('POST', '/cart/items', { body: { premiere_id: 1 } });
    const post = callInit(fetchMock, 1);
    expect(callUrl(fetchMock, 1)).toBe('/api/v1/cart/items');
    expect(post.method).toBe('POST');
    expect(post.headers['X-CSRF-Token']).toBe('tok-me');
    expect(post.headers['Content-Type']).toBe('application/json');
    expect(post.credentials).toBe('same-origin');
    expect(post.body).toBe('{"premiere_id":1}');

    await api('PATCH', '/me/notifications', { body: { sms: true } });
    await api('DELETE', '/cart/items/3');
    expect(callInit(fetchMock, 2).headers['X-CSRF-Token']).toBe('tok-me');
    expect(callInit(fetchMock, 3).headers['X-CSRF-Token']).toBe('tok-me');

    await api('GET', '/cart');
    expect(callInit(fetchMock, 4).headers['X-CSRF-Token']).toBeUndefined();
  });

  it('switches to the token a login answer brings', async () => {
    setCsrfToken('old');
    const fetchMock = reply(200, { user: { id: 'u1' }, csrf_token: 'tok-login' });
    vi.stubGlobal('fetch', fetchMock);
    await api('POST', '/auth/login', { body: { email: 'a@b.ru', password: 'x' } });
    expect(callInit(fetchMock, 0).headers['X-CSRF-Token']).toBe('old');
    await api('POST', '/orders', { body: { items: [] }, headers: { 'Idempotency-Key': 'k-1' } });
    expect(callInit(fetchMock, 1).headers['X-CSRF-Token']).toBe('tok-login');
    expect(callInit(fetchMock, 1).headers['Idempotency-Key']).toBe('k-1');
  });

  it('asks for keepalive only when told (a request that outlives the page)', async () => {
    const fetchMock = reply(204, null);
    vi.stubGlobal('fetch', fetchMock);
    await api('POST', '/rentals/7/playback/beacon', { body: { session: 's' }, keepalive: true });
    expect(callInit(fetchMock, 0).keepalive).toBe(true);
    await api('POST', '/rentals/7/playback/beacon', { body: { session: 's' } });
    expect('keepalive' in callInit(fetchMock, 1)).toBe(false);
  });

  it('sends a file or text as it is with its own Content-Type, and the CSRF token', async () => {
    setCsrfToken('tok');
    const fetchMock = reply(200, { total: 2, valid: 2 });
    vi.stubGlobal('fetch', fetchMock);
    const file = new File(['slug;title\r\nchayka;Чайка\r\n'], 'season.csv', { type: 'application/vnd.ms-excel' });

    await expect(api('POST', '/admin/imports?dry_run=true', { raw: { data: file, type: 'text/csv' } })).resolves.toEqual({ total: 2, valid: 2 });
    const post = callInit(fetchMock, 0);
    expect(callUrl(fetchMock, 0)).toBe('/api/v1/admin/imports?dry_run=true');
    expect(post.body).toBe(file);
    expect(post.headers['Content-Type']).toBe('text/csv');
    expect(post.headers['X-CSRF-Token']).toBe('tok');
    expect(post.headers.Accept).toBe('application/json, application/problem+json');

    await api('POST', '/admin/imports', { raw: { data: '[]', type: 'application/json' } });
    expect(callInit(fetchMock, 1).body).toBe('[]');
    expect(callInit(fetchMock, 1).headers['Content-Type']).toBe('application/json');

    // No body at all: no Content-Type.
    await api('POST', '/notifications/5/read');
    expect(callInit(fetchMock, 2).body).toBeUndefined();
    expect(callInit(fetchMock, 2).headers['Content-Type']).toBeUndefined();
  });

  it('turns problem+json into an ApiError with the fields at fault', async () => {
    vi.stubGlobal(
      'fetch',
      reply(
        422,
        {
          type: 'about:blank',
          title: 'Данные не прошли проверку',
          status: 422,
          detail: 'Проверьте поле items[0].period',
          errors: [{ field: 'items[0].period', message: 'Можно выбрать: 12, 24 ч.' }, { bogus: true }],
        },
        'application/problem+json',
      ),
    );
    const err = await api('POST', '/orders', { body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(422);
    expect(e.title).toBe('Данные не прошли проверку');
    expect(e.detail).toBe('Проверьте поле items[0].period');
    expect(e.message).toBe('Проверьте поле items[0].period');
    expect(e.errors).toEqual([{ field: 'items[0].period', message: 'Можно выбрать: 12, 24 ч.' }]);
    expect(e.fieldError('items[0].period')).toBe('Можно выбрать: 12, 24 ч.');
    expect(e.fieldError('items[0].starts_at')).toBeUndefined();
  });

  it('keeps extra problem members such as the shortfall of a 402', async () => {
    vi.stubGlobal('fetch', reply(402, { title: 'Недостаточно средств', status: 402, detail: 'Не хватает 479,20 ₽', shortfall: 47920, balance: 0 }, 'application/problem+json'));
    const e = (await api('POST', '/orders/o1/confirm').catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(402);
    expect(e.body.shortfall).toBe(47920);
  });

  it('gives a Russian message when the error body is not problem+json', async () => {
    vi.stubGlobal('fetch', reply(503, '<html>Bad gateway</html>', 'text/html'));
    const e = (await api('GET', '/cart').catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(503);
    expect(e.detail).toBe('Сервис временно недоступен. Попробуйте позже.');
    expect(e.errors).toEqual([]);
  });

  it('explains a network failure in Russian', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const e = (await api('GET', '/search/?q=').catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(0);
    expect(e.detail).toContain('Не удалось связаться');
  });

  it('answers undefined for 204 No Content', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
    await expect(api('POST', '/notifications/5/read')).resolves.toBeUndefined();
  });

  it('builds query strings from the parameters that have a value', () => {
    expect(query({ q: 'Маузер', page: 2, cursor: null })).toBe('?q=%D0%9C%D0%B0%D1%83%D0%B7%D0%B5%D1%80&page=2');
    expect(query({ q: '' })).toBe('?q=');
    expect(query({ cursor: undefined })).toBe('');
  });
});

describe('an expired session', () => {
  afterEach(() => {
    setUnauthorizedHandler(null);
    vi.unstubAllGlobals();
  });

  it('tells the session on a 401 from a signed-in call, not from a failed login', async () => {
    const expired = vi.fn();
    setUnauthorizedHandler(expired);
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ title: 'Нужен вход', status: 401 }), { status: 401 })));
    await expect(api('GET', '/cart')).rejects.toMatchObject({ status: 401 });
    expect(expired).toHaveBeenCalledTimes(1);
    await expect(api('POST', '/auth/login', { body: {} })).rejects.toMatchObject({ status: 401 });
    expect(expired).toHaveBeenCalledTimes(1);
  });
});
