import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { SalesReport, User } from '@/types/api';
import { defaultPeriod, periodProblems, SalesReportPage } from './sales-report-page';

const admin: User = { id: '1', email: 'admin@chance.local', name: 'Администратор', phone: null, phone_verified: false, time_zone: 'Asia/Vladivostok', role: 'admin' };
const isReport = (url: string) => url.startsWith('/api/v1/admin/reports/sales?');

const byDay: SalesReport = {
  from: '2026-10-31',
  to: '2026-11-29',
  by: 'day',
  time_zone: 'Europe/Moscow',
  rows: [
    { key: '2026-11-28', label: '2026-11-28', rentals: 3, revenue: 143760, refunds: 10000, discounts: 35940, net: 133760 },
    { key: '2026-11-29', label: '2026-11-29', rentals: 1, revenue: 47920, refunds: 0, discounts: 11980, net: 47920 },
  ],
  totals: { rentals: 4, revenue: 191680, refunds: 10000, discounts: 47920, net: 181680 },
};
const byPremiere: SalesReport = {
  ...byDay,
  from: '2026-11-01',
  by: 'premiere',
  rows: [
    { key: 1, label: 'Маузер', rentals: 3, revenue: 143760, refunds: 10000, discounts: 35940, net: 133760 },
    { key: 2, label: 'Чайка', rentals: 1, revenue: 47920, refunds: 0, discounts: 11980, net: 47920 },
  ],
};

// The report's answer for the asked grouping.
const reportRoute = () => ({
  match: isReport,
  body: (url: string) => (new URL(url, 'http://store.test').searchParams.get('by') === 'premiere' ? byPremiere : byDay),
});

const cells = (row: HTMLElement) => [...row.querySelectorAll('th, td')].map((c) => c.textContent);

beforeEach(() => {
  // 00:30 on 29 November in Moscow (still the 28th in UTC); only Date is faked, the timers run.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-28T21:30:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('«Продажи»', () => {
  it('shows the last 30 days by day at once, with the totals and the CSV of the same report', async () => {
    const { calls } = stubApi([reportRoute()]);
    renderWithProviders(<SalesReportPage />, { path: '/admin/reports', session: { user: admin } });
    expect(screen.getByRole('heading', { level: 1, name: 'Продажи' })).toBeInTheDocument();
    expect(screen.getByLabelText('С даты')).toHaveValue('2026-10-31');
    expect(screen.getByLabelText('По дату')).toHaveValue('2026-11-29');
    expect(screen.getByLabelText('Группировать')).toHaveValue('day');

    const rows = await screen.findAllByTestId('report-row');
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/admin/reports/sales?from=2026-10-31&to=2026-11-29&by=day']);
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['День', 'Аренды', 'Выручка', 'Возвраты', 'Скидки', 'Итого']);
    expect(cells(rows[0])).toEqual(['28.11.2026', '3', '1\u00a0437,60\u00a0₽', '100,00\u00a0₽', '359,40\u00a0₽', '1\u00a0337,60\u00a0₽']);
    expect(cells(screen.getByTestId('report-totals'))).toEqual(['Всего', '4', '1\u00a0916,80\u00a0₽', '100,00\u00a0₽', '479,20\u00a0₽', '1\u00a0816,80\u00a0₽']);
    const csv = screen.getByRole('link', { name: 'Скачать CSV' });
    expect(csv).toHaveAttribute('href', '/api/v1/admin/reports/sales?from=2026-10-31&to=2026-11-29&by=day&format=csv');
    expect(csv).toHaveAttribute('download');
  });

  it('«Показать» asks for the chosen days and grouping, and the CSV link follows', async () => {
    const { calls } = stubApi([reportRoute()]);
    renderWithProviders(<SalesReportPage />, { path: '/admin/reports', session: { user: admin } });
    await screen.findAllByTestId('report-row');
    fireEvent.change(screen.getByLabelText('С даты'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByLabelText('Группировать'), { target: { value: 'premiere' } });
    // Nothing is asked before «Показать».
    expect(calls).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Показать' }));

    await waitFor(() => expect(screen.getAllByTestId('report-row').map((r) => cells(r)[0])).toEqual(['Маузер', 'Чайка']));
    expect(calls.map((c) => c.url)[1]).toBe('/api/v1/admin/reports/sales?from=2026-11-01&to=2026-11-29&by=premiere');
    expect(screen.getAllByRole('columnheader')[0].textContent).toBe('Премьера');
    expect(screen.getByRole('link', { name: 'Скачать CSV' })).toHaveAttribute(
      'href',
      '/api/v1/admin/reports/sales?from=2026-11-01&to=2026-11-29&by=premiere&format=csv',
    );
    expect(cells(screen.getByTestId('report-totals'))[0]).toBe('Всего');
  });

  it('checks the days before asking', async () => {
    const { calls } = stubApi([reportRoute()]);
    renderWithProviders(<SalesReportPage />, { path: '/admin/reports', session: { user: admin } });
    await screen.findAllByTestId('report-row');
    fireEvent.change(screen.getByLabelText('С даты'), { target: { value: '2026-12-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Показать' }));
    expect(await screen.findByText('Последний день — не раньше первого')).toBeInTheDocument();
    expect(calls).toHaveLength(1);
  });

  it('shows the server’s refusal of a period at its field', async () => {
    const { calls } = stubApi([
      { match: isReport, status: 400, body: { title: 'Ошибка', status: 400, errors: [{ field: 'from', message: 'Отчёт — не больше чем за 366 дней' }] } },
    ]);
    renderWithProviders(<SalesReportPage />, { path: '/admin/reports?from=2020-01-01&to=2026-11-29&by=theatre', session: { user: admin } });
    const message = await screen.findByText('Отчёт — не больше чем за 366 дней');
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/admin/reports/sales?from=2020-01-01&to=2026-11-29&by=theatre']);
    expect(screen.getByLabelText('С даты')).toHaveAttribute('aria-describedby', message.id);
    expect(screen.getByLabelText('С даты')).toHaveValue('2020-01-01');
    expect(screen.getByLabelText('Группировать')).toHaveValue('theatre');
    expect(screen.getAllByRole('alert')).toEqual([message]);
  });

  it('says when nothing was sold', async () => {
    stubApi([{ match: isReport, body: { ...byDay, rows: [], totals: { rentals: 0, revenue: 0, refunds: 0, discounts: 0, net: 0 } } }]);
    renderWithProviders(<SalesReportPage />, { path: '/admin/reports', session: { user: admin } });
    expect(await screen.findByText('С 31.10.2026 по 29.11.2026 продаж не было.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });
});

describe('the report’s period', () => {
  it('is the last 30 days of Moscow by default', () => {
    expect(defaultPeriod(Date.parse('2026-11-28T20:59:00Z'))).toEqual({ from: '2026-10-30', to: '2026-11-28' });
    expect(defaultPeriod(Date.parse('2026-11-28T21:00:00Z'))).toEqual({ from: '2026-10-31', to: '2026-11-29' });
  });

  it('is at most 366 days, the first not after the last', () => {
    expect(periodProblems('2026-01-01', '2026-12-31')).toEqual({});
    expect(periodProblems('2028-01-01', '2028-12-31')).toEqual({});
    expect(periodProblems('2026-01-01', '2027-01-01')).toEqual({});
    expect(periodProblems('2026-01-01', '2027-01-02')).toEqual({ to: 'Не больше 366 дней' });
    expect(periodProblems('2026-11-29', '2026-11-28')).toEqual({ to: 'Последний день — не раньше первого' });
    expect(periodProblems('', '2026-11-28')).toEqual({ from: 'Укажите первый день' });
    expect(periodProblems('2026-11-28', '')).toEqual({ to: 'Укажите последний день' });
  });
});
