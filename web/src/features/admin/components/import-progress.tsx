import { ErrorMessage } from '@/components/ui/error-message';
import type { ImportJob, ImportStarted } from '@/types/api';

// «Загружено X из N (новых: a, обновлено: b, без изменений: c)».
export function importCounts(job: ImportStarted): string {
  return `Загружено ${job.done} из ${job.total} (новых: ${job.created}, обновлено: ${job.updated}, без изменений: ${job.unchanged})`;
}

const AGAIN = 'Загрузите тот же файл ещё раз: премьеры сопоставляются по slug, поэтому уже загруженные не задвоятся.';

// An import under way or just ended: the bar, the counts, and how it ended. `error`: the last poll failed.
export function ImportProgress({ job, error, onRetry }: { job: ImportStarted | ImportJob; error: unknown; onRetry: () => void }) {
  const percent = job.total > 0 ? Math.min(100, Math.round((job.done / job.total) * 100)) : job.status === 'done' ? 100 : 0;
  const reason = 'error' in job && job.error ? job.error : null;
  return (
    <section className="panel import-progress" aria-labelledby="import-progress-title" data-testid="import-progress">
      <h2 id="import-progress-title">Загрузка в каталог</h2>
      <div
        className="progress"
        role="progressbar"
        aria-label="Ход импорта"
        aria-valuemin={0}
        aria-valuemax={job.total}
        aria-valuenow={job.done}
        aria-valuetext={`${job.done} из ${job.total}`}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p data-testid="import-counts">{importCounts(job)}</p>
      <div role="status">
        {job.status === 'running' ? (
          <p className="muted">Импорт идёт. Страницу можно закрыть — он продолжится без неё.</p>
        ) : job.status === 'done' ? (
          <p className="success">Импорт завершён</p>
        ) : job.status === 'interrupted' ? (
          <p className="alert alert-error">Импорт прерван: сервер остановился на середине. {AGAIN}</p>
        ) : (
          <p className="alert alert-error">
            Импорт не удался{reason ? `: ${reason}` : ''}. {AGAIN}
          </p>
        )}
      </div>
      {error ? <ErrorMessage error={error} onRetry={onRetry} /> : null}
    </section>
  );
}
