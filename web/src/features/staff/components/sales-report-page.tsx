import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { AdminNav } from '@/components/admin-nav';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { fieldError } from '@/lib/api-client';
import { useQuery } from '@/lib/use-query';
import type { SalesFigures, SalesGrouping, SalesRow } from '@/types/api';
import { addDays, dayIn, formatDay, isDay } from '@/utils/dates';
import { formatMoney } from '@/utils/money';
import { getSalesReport, salesReportCsvUrl, type SalesReportParams } from '../api/get-sales-report';

// The report's days are Moscow days, whatever the admin's own zone.
const REPORT_TIME_ZONE = 'Europe/Moscow';
export const DEFAULT_DAYS = 30;
export const MAX_DAYS = 366;

const GROUPINGS: { value: SalesGrouping; label: string; column: string }[] = [
  { value: 'day', label: 'По дням', column: 'День' },
  { value: 'premiere', label: 'По премьерам', column: 'Премьера' },
  { value: 'theatre', label: 'По театрам', column: 'Театр' },
];

const isGrouping = (value: string | null): value is SalesGrouping => GROUPINGS.some((g) => g.value === value);

// The last DEFAULT_DAYS days, today (in Moscow) included.
export function defaultPeriod(now: number): { from: string; to: string } {
  const to = dayIn(now, REPORT_TIME_ZONE);
  return { from: addDays(to, -(DEFAULT_DAYS - 1)), to };
}

// Why a period cannot be asked for, by field; the server checks the same.
export function periodProblems(from: string, to: string): { from?: string; to?: string } {
  if (!isDay(from)) return { from: 'Укажите первый день' };
  if (!isDay(to)) return { to: 'Укажите последний день' };
  if (from > to) return { to: 'Последний день — не раньше первого' };
  if (Date.parse(to) - Date.parse(from) >= MAX_DAYS * 86_400_000) return { to: `Не больше ${MAX_DAYS} дней` };
  return {};
}

// Admin: «Продажи» — rentals, revenue, refunds, discounts and net by day, premiere or theatre over a period, with
// the totals and the same report as a CSV file. The period shown is in the address (?from=&to=&by=).
export function SalesReportPage() {
  const [params, setParams] = useSearchParams();
  // The default period is read once, when the page opens (a lazy initial state may read the clock).
  const [defaults] = useState(() => defaultPeriod(Date.now()));
  const by = params.get('by');
  const shown: SalesReportParams = {
    from: params.get('from') ?? defaults.from,
    to: params.get('to') ?? defaults.to,
    by: isGrouping(by) ? by : 'day',
  };
  const report = useQuery((signal) => getSalesReport(shown, signal), [shown.from, shown.to, shown.by]);
  const [form, setForm] = useState(shown);
  const [problems, setProblems] = useState<{ from?: string; to?: string }>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = periodProblems(form.from, form.to);
    setProblems(found);
    if (found.from || found.to) return;
    const next = new URLSearchParams({ from: form.from, to: form.to, by: form.by });
    if (next.toString() === params.toString()) void report.reload();
    else setParams(next);
  };

  const fromError = problems.from ?? fieldError(report.error, 'from');
  const toError = problems.to ?? fieldError(report.error, 'to');
  const byError = fieldError(report.error, 'by');
  const column = GROUPINGS.find((g) => g.value === (report.data?.by ?? shown.by))?.column ?? 'День';
  return (
    <section>
      <AdminNav />
      <h1>Продажи</h1>
      <form className="report-form" onSubmit={submit} noValidate aria-label="Параметры отчёта">
        <div className="row">
          <Field label="С даты" id="report-from" error={fromError}>
            <input
              id="report-from"
              type="date"
              value={form.from}
              onChange={(e) => setForm({ ...form, from: e.target.value })}
              required
              {...describedBy('report-from', fromError)}
            />
          </Field>
          <Field label="По дату" id="report-to" error={toError}>
            <input
              id="report-to"
              type="date"
              value={form.to}
              onChange={(e) => setForm({ ...form, to: e.target.value })}
              required
              {...describedBy('report-to', toError)}
            />
          </Field>
          <Field label="Группировать" id="report-by" error={byError}>
            <select
              id="report-by"
              value={form.by}
              onChange={(e) => setForm({ ...form, by: e.target.value as SalesGrouping })}
              {...describedBy('report-by', byError)}
            >
              {GROUPINGS.map((g) => (
                <option key={g.value} value={g.value}>
                  {g.label}
                </option>
              ))}
            </select>
          </Field>
          <div className="field">
            <button type="submit" className="primary">
              Показать
            </button>
          </div>
        </div>
      </form>
      <div className="toolbar">
        <p className="muted">Дни — по московскому времени, первый и последний включительно.</p>
        {/* A plain link: the gateway answers with Content-Disposition: attachment, and the browser saves the file. */}
        <a className="button" href={salesReportCsvUrl(shown)} download>
          Скачать CSV
        </a>
      </div>
      {report.error ? (
        fromError || toError || byError ? null : <ErrorMessage error={report.error} onRetry={() => void report.reload()} />
      ) : !report.data ? (
        <Loading />
      ) : report.data.rows.length === 0 ? (
        <p className="empty">
          С {formatDay(report.data.from)} по {formatDay(report.data.to)} продаж не было.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="history sales-report">
            <caption className="visually-hidden">
              Продажи с {formatDay(report.data.from)} по {formatDay(report.data.to)}
            </caption>
            <thead>
              <tr>
                <th scope="col">{column}</th>
                <th scope="col" className="num">
                  Аренды
                </th>
                <th scope="col" className="num">
                  Выручка
                </th>
                <th scope="col" className="num">
                  Возвраты
                </th>
                <th scope="col" className="num">
                  Скидки
                </th>
                <th scope="col" className="num">
                  Итого
                </th>
              </tr>
            </thead>
            <tbody>
              {report.data.rows.map((row) => (
                <tr key={String(row.key)} data-testid="report-row">
                  <th scope="row">{report.data?.by === 'day' ? <time dateTime={row.label}>{formatDay(row.label)}</time> : row.label}</th>
                  <Figures figures={row} />
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-testid="report-totals">
                <th scope="row">Всего</th>
                <Figures figures={report.data.totals} />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}

function Figures({ figures }: { figures: SalesFigures | SalesRow }) {
  return (
    <>
      <td className="num">{figures.rentals}</td>
      <td className="num">{formatMoney(figures.revenue)}</td>
      <td className="num">{formatMoney(figures.refunds)}</td>
      <td className="num">{formatMoney(figures.discounts)}</td>
      <td className="num">{formatMoney(figures.net)}</td>
    </>
  );
}
