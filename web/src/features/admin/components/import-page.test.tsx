import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { ImportJob, User } from '@/types/api';
import { ImportPage, POLL_MS } from './import-page';

const admin: User = { id: '1', email: 'admin@chance.local', name: 'Администратор', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'admin' };

const isList = (url: string, init: RequestInit) => url === '/api/v1/admin/imports' && init.method === 'GET';
const isCheck = (url: string, init: RequestInit) => url === '/api/v1/admin/imports?dry_run=true' && init.method === 'POST';
const isStart = (url: string, init: RequestInit) => url === '/api/v1/admin/imports' && init.method === 'POST';
const isJob = (url: string) => url === '/api/v1/admin/imports/42';

const job = (over: Partial<ImportJob> = {}): ImportJob => ({
  id: 42,
  status: 'running',
  total: 3,
  done: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  error: null,
  admin: 'admin@chance.local',
  started_at: '2026-11-29T10:00:00Z',
  finished_at: null,
  ...over,
});

const invalid = (over: Record<string, unknown> = {}) => ({
  type: 'https://chance.local/problems/import-invalid',
  title: 'В файле есть ошибки',
  status: 422,
  detail: 'Ошибок: 2',
  total: 3,
  valid: 1,
  errors_total: 2,
  rows: [
    { row: 3, field: 'price_online', message: 'Сумма в рублях, например 499 или 499,90' },
    { row: 4, field: 'title', message: 'Обязательное поле' },
  ],
  ...over,
});

const csv = (name = 'season.csv', type = 'application/vnd.ms-excel') => new File(['slug;title\r\n'], name, { type });

function renderPage() {
  renderWithProviders(<ImportPage />, { path: '/admin/import', session: { user: admin } });
  return screen.getByLabelText('Файл CSV или JSON') as HTMLInputElement;
}

const choose = (input: HTMLInputElement, file: File) => fireEvent.change(input, { target: { files: [file] } });
const cells = (row: HTMLElement) => [...row.querySelectorAll('th, td')].map((c) => c.textContent);
const progressbar = () => screen.getByRole('progressbar', { name: 'Ход импорта' });

// Fake timers for the polling. Testing Library's async helpers (findBy…, waitFor) wait on setTimeout, and advance
// fake timers themselves only when they see Jest's: `jest.advanceTimersByTime` is what they call.
function fakeTimers() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  vi.stubGlobal('jest', { advanceTimersByTime: (ms: number) => vi.advanceTimersByTime(ms) });
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('«Импорт каталога»', () => {
  it('explains the CSV columns and offers a sample made in the browser', async () => {
    stubApi([{ match: isList, body: { items: [] } }]);
    renderPage();
    expect(screen.getByRole('heading', { level: 1, name: 'Импорт каталога' })).toBeInTheDocument();
    expect(await screen.findByText('Импортов ещё не было.')).toBeInTheDocument();
    const columns = screen.getByRole('table', { name: 'Колонки CSV' });
    const slug = within(columns).getByRole('rowheader', { name: 'slug' }).closest('tr')!;
    expect(cells(slug).slice(0, 2)).toEqual(['slug', 'да']);
    expect(cells(within(columns).getByRole('rowheader', { name: 'live_at' }).closest('tr')!)[1]).toBe('нет');

    const created: Blob[] = [];
    const { createObjectURL, revokeObjectURL } = URL;
    URL.createObjectURL = vi.fn((blob: Blob) => (created.push(blob), 'blob:sample-1'));
    URL.revokeObjectURL = vi.fn();
    try {
      const link = screen.getByRole('link', { name: 'Скачать образец' });
      expect(link).toHaveAttribute('download', 'import-obrazec.csv');
      link.addEventListener('click', (e) => e.preventDefault()); // jsdom does not download
      fireEvent.click(link);
      expect(created).toHaveLength(1);
      expect(created[0].type).toBe('text/csv;charset=utf-8');
      expect(link).toHaveAttribute('href', 'blob:sample-1');
    } finally {
      URL.createObjectURL = createObjectURL;
      URL.revokeObjectURL = revokeObjectURL;
    }
  });

  it('«Проверить файл» sends the file as it is with its Content-Type and lists the rows at fault', async () => {
    const { calls } = stubApi([
      { match: isList, body: { items: [] } },
      { match: isCheck, status: 422, body: invalid() },
    ]);
    const input = renderPage();
    const file = csv();
    choose(input, file);
    fireEvent.click(screen.getByRole('button', { name: 'Проверить файл' }));

    const table = await screen.findByRole('table', { name: 'Ошибки в файле' });
    const check = calls.find((c) => isCheck(c.url, c.init))!;
    expect(check.init.body).toBe(file);
    expect((check.init.headers as Record<string, string>)['Content-Type']).toBe('text/csv');
    const report = screen.getByTestId('import-report');
    expect(within(report).getByText('Строк: 3, без ошибок: 1')).toBeInTheDocument();
    expect(within(report).getByRole('alert')).toHaveTextContent('Ошибок: 2. В каталог ничего не записано');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Строка', 'Поле', 'Ошибка']);
    expect(screen.getAllByTestId('import-error').map(cells)).toEqual([
      ['3', 'price_online', 'Сумма в рублях, например 499 или 499,90'],
      ['4', 'title', 'Обязательное поле'],
    ]);
    expect(screen.queryByTestId('import-errors-more')).toBeNull();
    // Nothing started.
    expect(calls.some((c) => isStart(c.url, c.init))).toBe(false);
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('a JSON file goes as application/json, and a clean check tells what the import would do', async () => {
    const { calls } = stubApi([
      { match: isList, body: { items: [] } },
      { match: isCheck, body: { total: 2, valid: 2, creates: 1, updates: 1, errors: [] } },
    ]);
    const input = renderPage();
    choose(input, new File(['[]'], 'season.json', { type: '' }));
    fireEvent.click(screen.getByRole('button', { name: 'Проверить файл' }));
    expect(await screen.findByText('Строк: 2, без ошибок: 2')).toBeInTheDocument();
    expect(within(screen.getByTestId('import-report')).getByRole('status')).toHaveTextContent('Ошибок нет. Новых премьер: 1, обновятся: 1.');
    const check = calls.find((c) => isCheck(c.url, c.init))!;
    expect((check.init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(screen.queryByRole('table', { name: 'Ошибки в файле' })).toBeNull();
  });

  it('«Загрузить в каталог» with errors shows the same report, says when more errors exist than listed, and starts nothing', async () => {
    const { calls } = stubApi([
      { match: isList, body: { items: [] } },
      { match: isStart, status: 422, body: invalid({ total: 3000, valid: 1000, errors_total: 2000 }) },
    ]);
    const input = renderPage();
    choose(input, csv());
    fireEvent.click(screen.getByRole('button', { name: 'Загрузить в каталог' }));
    expect(await screen.findByText('Строк: 3000, без ошибок: 1000')).toBeInTheDocument();
    expect(screen.getAllByTestId('import-error')).toHaveLength(2);
    expect(screen.getByTestId('import-errors-more')).toHaveTextContent('В таблице — первые 2, ещё 1998 не показаны.');
    expect(calls.filter((c) => isStart(c.url, c.init))).toHaveLength(1);
    expect((calls.find((c) => isStart(c.url, c.init))!.init.headers as Record<string, string>)['Content-Type']).toBe('text/csv');
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('after a 202 asks every second how the import goes, shows the progress, and stops at the end', async () => {
    fakeTimers();
    let polls = 0;
    const answers = [
      job({ done: 2, created: 1, updated: 1 }),
      job({ status: 'done', done: 3, created: 2, updated: 1, finished_at: '2026-11-29T10:00:05Z' }),
    ];
    const { calls } = stubApi([
      { match: isList, body: () => ({ items: polls >= 2 ? [answers[1]] : [] }) },
      { match: isStart, status: 202, body: { id: 42, status: 'running', total: 3, done: 0, created: 0, updated: 0, unchanged: 0 } },
      { match: isJob, body: () => answers[polls++] },
    ]);
    const input = renderPage();
    expect(await screen.findByText('Импортов ещё не было.')).toBeInTheDocument();
    choose(input, csv());
    fireEvent.click(screen.getByRole('button', { name: 'Загрузить в каталог' }));

    await waitFor(() => expect(progressbar()).toHaveAttribute('aria-valuenow', '0'));
    expect(progressbar()).toHaveAttribute('aria-valuemax', '3');
    expect(screen.getByTestId('import-counts')).toHaveTextContent('Загружено 0 из 3 (новых: 0, обновлено: 0, без изменений: 0)');
    expect(screen.getByRole('button', { name: 'Загрузить в каталог' })).toBeDisabled();
    expect(polls).toBe(0);

    await act(() => vi.advanceTimersByTimeAsync(POLL_MS));
    await waitFor(() => expect(progressbar()).toHaveAttribute('aria-valuenow', '2'));
    expect(screen.getByTestId('import-counts')).toHaveTextContent('Загружено 2 из 3 (новых: 1, обновлено: 1, без изменений: 0)');
    expect(screen.queryByText('Импорт завершён')).toBeNull();

    await act(() => vi.advanceTimersByTimeAsync(POLL_MS));
    expect(await screen.findByText('Импорт завершён')).toBeInTheDocument();
    expect(progressbar()).toHaveAttribute('aria-valuenow', '3');
    expect(screen.getByTestId('import-counts')).toHaveTextContent('Загружено 3 из 3 (новых: 2, обновлено: 1, без изменений: 0)');
    expect(screen.getByRole('button', { name: 'Загрузить в каталог' })).toBeEnabled();

    // The list of imports was asked again at the end and shows this one; no more polls.
    const row = await screen.findByTestId('import-history-row');
    expect(cells(row)).toEqual(['29.11.2026, 13:00', 'admin@chance.local', 'Завершён', '3', '2', '1', '0']);
    await act(() => vi.advanceTimersByTimeAsync(3 * POLL_MS));
    expect(polls).toBe(2);
    expect(calls.filter((c) => isJob(c.url))).toHaveLength(2);
  });

  it('follows an import already running when the page opens, and says when one was interrupted', async () => {
    fakeTimers();
    stubApi([
      { match: isList, body: { items: [job({ done: 1, created: 1 })] } },
      { match: isJob, body: job({ status: 'interrupted', done: 2, created: 2, finished_at: '2026-11-29T10:00:05Z' }) },
    ]);
    renderPage();
    await waitFor(() => expect(progressbar()).toHaveAttribute('aria-valuenow', '1'));
    expect(screen.getByRole('button', { name: 'Загрузить в каталог' })).toBeDisabled();
    await act(() => vi.advanceTimersByTimeAsync(POLL_MS));
    expect(await screen.findByText(/Импорт прерван: сервер остановился на середине\. Загрузите тот же файл ещё раз/)).toBeInTheDocument();
    expect(screen.getByTestId('import-counts')).toHaveTextContent('Загружено 2 из 3 (новых: 2, обновлено: 0, без изменений: 0)');
  });

  it('shows a file the server cannot read at the file input', async () => {
    const message = 'Неизвестная колонка «price» в строке 1';
    stubApi([
      { match: isList, body: { items: [] } },
      { match: isCheck, status: 400, body: { title: 'Файл не прочитан', status: 400, detail: message, errors: [{ field: 'file', message }] } },
    ]);
    const input = renderPage();
    choose(input, csv());
    fireEvent.click(screen.getByRole('button', { name: 'Проверить файл' }));
    const error = await screen.findByText(message);
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAttribute('aria-describedby', error.id);
    expect(screen.getAllByRole('alert')).toEqual([error]);
    expect(screen.queryByTestId('import-report')).toBeNull();

    // Another file clears it.
    choose(input, csv('fixed.csv'));
    expect(screen.queryByText(message)).toBeNull();
    expect(input).not.toHaveAttribute('aria-invalid');
  });

  it('does not send what is neither CSV nor JSON, nor a file too large', async () => {
    const { calls } = stubApi([{ match: isList, body: { items: [] } }]);
    const input = renderPage();
    fireEvent.click(screen.getByRole('button', { name: 'Проверить файл' }));
    expect(await screen.findByText('Выберите файл CSV или JSON')).toBeInTheDocument();
    choose(input, new File(['x'], 'season.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
    fireEvent.click(screen.getByRole('button', { name: 'Загрузить в каталог' }));
    expect(await screen.findByText('Нужен файл .csv или .json')).toBeInTheDocument();
    const big = csv();
    Object.defineProperty(big, 'size', { value: 32 * 1024 * 1024 + 1 });
    choose(input, big);
    fireEvent.click(screen.getByRole('button', { name: 'Проверить файл' }));
    expect(await screen.findByText('Файл больше 32 МБ — разделите его на несколько.')).toBeInTheDocument();
    expect(calls.filter((c) => c.init.method === 'POST')).toEqual([]);
  });
});
