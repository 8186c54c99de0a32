// The one API client: same-origin JSON calls to the gateway, the CSRF token on every state change,
// problem+json errors turned into ApiError with the fields at fault.
export type FieldError = { field: string; message: string };

export class ApiError extends Error {
  status: number;
  title: string;
  detail: string;
  errors: FieldError[];
  body: Record<string, unknown>;
  constructor(status: number, body: Record<string, unknown>) {
    const title = typeof body.title === 'string' ? body.title : 'Ошибка';
    const detail = typeof body.detail === 'string' ? body.detail : title;
    super(detail);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = Array.isArray(body.errors) ? (body.errors as FieldError[]) : [];
    this.body = body;
  }
  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

type Options = { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal };

export async function api<T>(method: string, path: string, options: Options = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Нет связи', detail: 'Не удалось связаться с магазином. Проверьте интернет.' });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const body = data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
    throw new ApiError(res.status, { title: 'Ошибка', detail: `Ошибка ${res.status}`, ...body });
  }
  if (data && typeof data === 'object' && 'csrf_token' in data) {
    setCsrfToken((data as { csrf_token: string }).csrf_token);
  }
  return data as T;
}
