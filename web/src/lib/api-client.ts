// The one API client. Same-origin JSON calls to the gateway under /api/v1 (or a file sent as it is, see `raw`);
// the CSRF token that login, register and GET /me hand out goes on every state-changing request; problem+json
// errors become ApiError with the fields at fault.
export const API_PREFIX = '/api/v1';

export type FieldError = { field: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  // The whole problem body: some carry extra members (a 402 has shortfall and balance).
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    const title = typeof body.title === 'string' && body.title ? body.title : 'Ошибка';
    const detail = typeof body.detail === 'string' && body.detail ? body.detail : title;
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = Array.isArray(body.errors)
      ? body.errors.filter(
          (e): e is FieldError => !!e && typeof e.field === 'string' && typeof e.message === 'string',
        )
      : [];
    this.body = body;
  }

  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }
}

// A field's message when `error` is an ApiError that names it.
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldError(field) : undefined;
}

let csrfToken: string | null = null;

// Called when a signed-in call answers 401 (the session expired or was ended elsewhere): the session
// provider forgets the user, and the page's RequireAuth sends them to /login?next=<where they were>.
let onUnauthorized: (() => void) | null = null;

export function setUnauthorizedHandler(handler: (() => void) | null) {
  onUnauthorized = handler;
}

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const FALLBACK_DETAIL: Record<number, string> = {
  401: 'Войдите, чтобы продолжить.',
  403: 'Доступ запрещён.',
  404: 'Не нашли то, что вы искали.',
  429: 'Слишком много попыток. Подождите немного.',
  500: 'На сервере что-то сломалось. Попробуйте позже.',
  502: 'Сервис временно недоступен. Попробуйте позже.',
  503: 'Сервис временно недоступен. Попробуйте позже.',
};

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
// A body sent as it is rather than as JSON (a File, a Blob, text), with its own Content-Type.
export type RawBody = { data: Blob | string; type: string };
// `body` goes as JSON; `raw` instead of it, as it is. The answer is read as JSON either way. `keepalive`: the request
// outlives the page (a player's last beacon as the tab closes).
type Options = { headers?: Record<string, string>; signal?: AbortSignal; keepalive?: boolean } & ({ body?: unknown; raw?: undefined } | { raw: RawBody; body?: undefined });

export async function api<T>(method: Method, path: string, options: Options = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...options.headers };
  if (options.raw) headers['Content-Type'] = options.raw.type;
  else if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (!SAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(API_PREFIX + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.raw ? options.raw.data : options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      ...(options.keepalive ? { keepalive: true } : {}),
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Нет связи', detail: 'Не удалось связаться с магазином. Проверьте интернет и попробуйте ещё раз.' });
  }

  const text = res.status === 204 ? '' : await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/auth/')) onUnauthorized?.();
    const body = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
    throw new ApiError(res.status, {
      title: 'Ошибка',
      detail: FALLBACK_DETAIL[res.status] ?? `Ошибка ${res.status}. Попробуйте ещё раз.`,
      ...body,
    });
  }

  if (data && typeof data === 'object' && typeof (data as { csrf_token?: unknown }).csrf_token === 'string') {
    setCsrfToken((data as { csrf_token: string }).csrf_token);
  }
  return data as T;
}

// A query string from the parameters that have a value.
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
