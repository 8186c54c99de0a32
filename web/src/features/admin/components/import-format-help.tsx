import type { MouseEvent } from 'react';
import { CSV_COLUMNS, SAMPLE_FILE_NAME, sampleBlob } from '../catalog-import';

// The sample is made when it is asked for: the link's address becomes a fresh blob: URL just before the browser
// follows it (the download attribute saves it under SAMPLE_FILE_NAME), and the URL is let go a minute later.
function downloadSample(e: MouseEvent<HTMLAnchorElement>) {
  const url = URL.createObjectURL(sampleBlob(Date.now()));
  e.currentTarget.href = url;
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// «Формат файла»: what a CSV holds, column by column, the JSON alternative, and «Скачать образец».
export function ImportFormatHelp() {
  return (
    <section aria-labelledby="import-format-title" className="import-format">
      <h2 id="import-format-title">Формат файла</h2>
      <p>
        CSV в кодировке UTF-8 (из Excel — «Сохранить как» → «CSV UTF-8»): первая строка — названия колонок, дальше одна строка — одна
        премьера. Разделитель — точка с запятой (или запятая). Значение с разделителем, кавычками или переносом строки берите в
        кавычки, а кавычку внутри него пишите дважды: <code>""</code>.
      </p>
      <p>
        <a href="#import-format-title" download={SAMPLE_FILE_NAME} onClick={downloadSample}>
          Скачать образец
        </a>{' '}
        <span className="muted">— две премьеры, которые проходят проверку (в образце они скрыты с витрины).</span>
      </p>
      <div className="table-scroll">
        <table className="history import-columns">
          <caption className="visually-hidden">Колонки CSV</caption>
          <thead>
            <tr>
              <th scope="col">Колонка</th>
              <th scope="col">Обязательна</th>
              <th scope="col">Что писать</th>
            </tr>
          </thead>
          <tbody>
            {CSV_COLUMNS.map((c) => (
              <tr key={c.name}>
                <th scope="row">
                  <code>{c.name}</code>
                </th>
                <td>{c.required ? 'да' : 'нет'}</td>
                <td>{c.about}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        JSON — массив премьер в том виде, в каком их сохраняет редактор: те же поля, цены в копейках, <code>periods</code> —{' '}
        <code>[{'{"hours": 24, "factor": "1.000"}'}]</code>, <code>cast</code> — <code>[{'{"actor": "…", "role": "…"}'}]</code>, время в
        RFC 3339.
      </p>
    </section>
  );
}
