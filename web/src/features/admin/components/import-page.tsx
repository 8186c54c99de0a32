import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import { AdminNav } from '@/components/admin-nav';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { ApiError, fieldError } from '@/lib/api-client';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import type { ImportJob, ImportStarted } from '@/types/api';
import { checkImport, getImport, listImports, startImport, type ImportFormat } from '../api/imports';
import { checkedReport, importFormat, invalidReport, MAX_IMPORT_BYTES, type ImportReport } from '../catalog-import';
import { ImportFormatHelp } from './import-format-help';
import { ImportHistory } from './import-history';
import { ImportProgress } from './import-progress';
import { ImportReportView } from './import-report';

// How often a running import is asked about.
export const POLL_MS = 1000;

const FILE_ID = 'import-file';
const FILE_HINT = 'До 32 МБ и 100 000 премьер. Колонки и образец — ниже.';
const TOO_BIG = 'Файл больше 32 МБ — разделите его на несколько.';
const NO_FILE = 'Выберите файл CSV или JSON';
const NOT_CSV_OR_JSON = 'Нужен файл .csv или .json';
const NOT_SENT = 'Не удалось отправить файл: нет связи с магазином или файл изменился после выбора. Выберите его заново и попробуйте ещё раз.';

// Admin: «Импорт каталога» — a season's premieres from a CSV or JSON file. «Проверить файл» checks every row and
// writes nothing; «Загрузить в каталог» checks the same way (a file with errors gets the same report and writes
// nothing) and then imports in the background, the page asking about it every second. Below, the latest imports.
export function ImportPage() {
  const { timeZone } = useSession();
  const history = useQuery((signal) => listImports(signal), []);
  const reloadHistory = history.reload;
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);
  const [report, setReport] = useState<{ report: ImportReport; format: ImportFormat } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [job, setJob] = useState<ImportStarted | ImportJob | null>(null);
  const [pollError, setPollError] = useState<unknown>(null);
  const [pollAttempt, setPollAttempt] = useState(0);

  // The import started here, or one already running when the page opened (started earlier, or by another admin).
  const watched = job ?? history.data?.items.find((i) => i.status === 'running') ?? null;
  const running = watched?.status === 'running';

  // While it runs, ask again a second after each answer; the end brings the list of imports up to date.
  useEffect(() => {
    if (!watched || watched.status !== 'running') return;
    const controller = new AbortController();
    const timer = window.setTimeout(async () => {
      try {
        const next = await getImport(watched.id, controller.signal);
        setPollError(null);
        setJob(next);
        if (next.status !== 'running') void reloadHistory();
      } catch (e) {
        if (!controller.signal.aborted) setPollError(e);
      }
    }, POLL_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [watched, pollAttempt, reloadHistory]);

  const choose = (e: ChangeEvent<HTMLInputElement>) => {
    setFile(e.target.files?.[0] ?? null);
    setFileError(undefined);
    setReport(null);
    setError(null);
    if (job && job.status !== 'running') setJob(null);
  };

  const send = async (kind: 'check' | 'import') => {
    setReport(null);
    setError(null);
    const format = file && importFormat(file);
    // What the browser can already tell, without sending 32 MB to hear it.
    const problem = !file ? NO_FILE : !format ? NOT_CSV_OR_JSON : file.size > MAX_IMPORT_BYTES ? TOO_BIG : undefined;
    setFileError(problem);
    if (!file || !format || problem) return;
    setBusy(kind);
    try {
      if (kind === 'check') {
        setReport({ report: checkedReport(await checkImport(file, format)), format });
      } else {
        const started = await startImport(file, format);
        setPollError(null);
        setJob(started);
        void reloadHistory();
      }
    } catch (e) {
      const invalid = invalidReport(e);
      if (invalid) setReport({ report: invalid, format });
      else if (e instanceof ApiError && e.status === 413) setFileError(TOO_BIG);
      else if (fieldError(e, 'file')) setFileError(fieldError(e, 'file'));
      else if (e instanceof ApiError && e.status === 0) setFileError(NOT_SENT);
      else setError(e);
    } finally {
      setBusy(null);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send('check');
  };

  return (
    <section>
      <AdminNav />
      <h1>Импорт каталога</h1>
      <p className="muted">
        Премьеры сезона из файла CSV или JSON: новые добавятся в каталог, уже известные (по slug) обновятся. Пока в файле есть
        ошибки, в каталог ничего не запишется.
      </p>
      <form className="panel import-form" onSubmit={submit} noValidate aria-label="Файл для импорта">
        <Field label="Файл CSV или JSON" id={FILE_ID} error={fileError} hint={FILE_HINT}>
          <input
            id={FILE_ID}
            type="file"
            accept=".csv,.json,text/csv,application/json"
            onChange={choose}
            disabled={busy !== null}
            {...describedBy(FILE_ID, fileError, FILE_HINT)}
          />
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy !== null} aria-busy={busy === 'check'}>
            {busy === 'check' && <span className="spinner" aria-hidden="true" />} Проверить файл
          </button>
          <button type="button" className="primary" onClick={() => void send('import')} disabled={busy !== null || running} aria-busy={busy === 'import'}>
            {busy === 'import' && <span className="spinner" aria-hidden="true" />} Загрузить в каталог
          </button>
        </div>
        <p className="field-hint">
          {running
            ? 'Новый импорт можно начать, когда закончится текущий.'
            : '«Загрузить в каталог» проверяет файл так же и при ошибках ничего не записывает.'}
        </p>
      </form>
      <ErrorMessage error={error} />
      {report && <ImportReportView report={report.report} format={report.format} />}
      {watched && (
        <ImportProgress
          job={watched}
          error={pollError}
          onRetry={() => {
            setPollError(null);
            setPollAttempt((n) => n + 1);
          }}
        />
      )}
      <ImportFormatHelp />
      <h2>Последние импорты</h2>
      {history.error ? (
        <ErrorMessage error={history.error} onRetry={() => void history.reload()} />
      ) : !history.data ? (
        <Loading />
      ) : (
        <ImportHistory items={history.data.items} timeZone={timeZone} />
      )}
    </section>
  );
}
