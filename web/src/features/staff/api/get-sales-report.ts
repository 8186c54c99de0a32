import { api, API_PREFIX, query } from '@/lib/api-client';
import type { SalesGrouping, SalesReport } from '@/types/api';

// from and to: "YYYY-MM-DD", days in Moscow time, both inclusive, at most 366 days apart.
export type SalesReportParams = { from: string; to: string; by: SalesGrouping };

const path = (p: SalesReportParams, format?: 'csv') => `/admin/reports/sales${query({ from: p.from, to: p.to, by: p.by, format })}`;

// GET /admin/reports/sales (admin only) → the rows and their totals; 400 naming from, to or by.
export function getSalesReport(params: SalesReportParams, signal?: AbortSignal) {
  return api<SalesReport>('GET', path(params), { signal });
}

// The same report as a CSV file for Excel (semicolons; Content-Disposition: attachment), for a plain link: the
// session cookie goes with it, and a GET needs no CSRF token.
export function salesReportCsvUrl(params: SalesReportParams): string {
  return API_PREFIX + path(params, 'csv');
}
