import type { ImportFormat } from '../api/imports';
import type { ImportReport } from '../catalog-import';

// What a check of the file found: the counts, and every row at fault (the server lists at most 1000 of them).
// A CSV's row is the spreadsheet's (the header is row 1); a JSON file's the premiere's place in the array.
export function ImportReportView({ report, format }: { report: ImportReport; format: ImportFormat }) {
  const more = report.errorsTotal - report.rows.length;
  return (
    <section className="panel import-report" aria-labelledby="import-report-title" data-testid="import-report">
      <h2 id="import-report-title">Проверка файла</h2>
      <p>
        Строк: {report.total}, без ошибок: {report.valid}
      </p>
      {report.errorsTotal === 0 ? (
        <p className="success" role="status">
          Ошибок нет.
          {report.creates !== null && report.updates !== null && ` Новых премьер: ${report.creates}, обновятся: ${report.updates}.`} Файл можно
          загружать в каталог.
        </p>
      ) : (
        <>
          <p className="alert alert-error" role="alert">
            Ошибок: {report.errorsTotal}. В каталог ничего не записано — исправьте файл и проверьте его снова.
          </p>
          {report.rows.length > 0 && (
            <div className="table-scroll">
              <table className="history import-errors">
                <caption className="visually-hidden">Ошибки в файле</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      Строка
                    </th>
                    <th scope="col">Поле</th>
                    <th scope="col">Ошибка</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rows.map((r, i) => (
                    <tr key={`${r.row}-${r.field}-${i}`} data-testid="import-error">
                      <td className="num">{r.row}</td>
                      <td>
                        <code>{r.field}</code>
                      </td>
                      <td>{r.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {format === 'application/json' && <p className="muted">Строка — номер премьеры в массиве JSON, начиная с 1.</p>}
          {more > 0 && (
            <p className="hint" data-testid="import-errors-more">
              В таблице — первые {report.rows.length}, ещё {more} не показаны. Исправьте эти и проверьте файл снова.
            </p>
          )}
        </>
      )}
    </section>
  );
}
