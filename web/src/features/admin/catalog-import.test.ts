import { ApiError } from '@/lib/api-client';
import { CSV_COLUMNS, importFormat, invalidReport, sampleBlob, sampleCsv } from './catalog-import';

// Rows of fields from CSV text the way the import reads it: `;`, quoted fields with "" for a quote, CRLF lines.
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(row).toEqual([]);
  expect(field).toBe('');
  return rows;
}

const REQUIRED = [
  'slug',
  'title',
  'theatre',
  'director',
  'age_rating',
  'duration_minutes',
  'description_short',
  'description_full',
  'price_theatre',
  'price_online',
  'base_period_hours',
  'periods',
  'reservable_from',
  'reservable_until',
];
const NOW = Date.parse('2026-11-28T21:30:00Z');

describe('the sample CSV', () => {
  it('has the header and two premieres with every required column filled in', () => {
    const [header, ...rows] = parseCsv(sampleCsv(NOW));
    expect(header).toEqual(CSV_COLUMNS.map((c) => c.name));
    expect(header).toContain('cast');
    expect(CSV_COLUMNS.filter((c) => c.required).map((c) => c.name)).toEqual(REQUIRED);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toHaveLength(header.length);
      const premiere = Object.fromEntries(header.map((name, i) => [name, row[i]]));
      for (const name of REQUIRED) expect(premiere[name], name).not.toBe('');
      expect(premiere.slug).toMatch(/^[a-z0-9-]+$/);
      expect(['0+', '6+', '12+', '16+', '18+']).toContain(premiere.age_rating);
      expect(premiere.price_online).toMatch(/^\d+([.,]\d{1,2})?$/);
      expect(premiere.price_theatre).toMatch(/^\d+([.,]\d{1,2})?$/);
      // The base period is among the periods; the window is RFC 3339 and ends after it starts.
      const hours = premiere.periods.split('|').map((p) => p.split(':')[0]);
      expect(hours).toContain(premiere.base_period_hours);
      expect(premiere.reservable_from).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(Date.parse(premiere.reservable_until)).toBeGreaterThan(Date.parse(premiere.reservable_from));
      expect(Date.parse(premiere.reservable_until)).toBeGreaterThan(NOW);
      expect(premiere.hidden).toBe('да');
    }
    // A quoted field with a quote and the separator inside reads back whole.
    expect(rows[0][header.indexOf('description_full')]).toContain('"новое лицо" труппы');
    expect(rows[0][header.indexOf('description_full')]).toContain(';');
    expect(rows[0][header.indexOf('cast')]).toBe('Мария Петрова: Нина Заречная|Игорь Смирнов: Константин Треплев');
  });

  it('is UTF-8 with a BOM', async () => {
    const blob = sampleBlob(NOW);
    expect(blob.type).toBe('text/csv;charset=utf-8');
    // jsdom's Blob has no arrayBuffer(); its FileReader reads one.
    const bytes = await new Promise<Uint8Array>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
      reader.onerror = () => reject(reader.error);
      reader.readAsArrayBuffer(blob);
    });
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe(sampleCsv(NOW));
  });
});

describe('the format of a chosen file', () => {
  it('comes from the extension, else from the type', () => {
    expect(importFormat({ name: 'Сезон 2026.CSV', type: 'application/vnd.ms-excel' })).toBe('text/csv');
    expect(importFormat({ name: 'season.json', type: '' })).toBe('application/json');
    expect(importFormat({ name: 'season', type: 'text/csv' })).toBe('text/csv');
    expect(importFormat({ name: 'season', type: 'application/json; charset=utf-8' })).toBe('application/json');
    expect(importFormat({ name: 'season.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })).toBeNull();
  });
});

describe('the report of a 422', () => {
  it('lists the rows at fault and how many there are in all', () => {
    const error = new ApiError(422, {
      type: 'https://chance.local/problems/import-invalid',
      title: 'В файле есть ошибки',
      total: 3000,
      valid: 1000,
      errors_total: 2001,
      rows: [{ row: 2, field: 'price_online', message: 'Сумма в рублях' }, { row: 'x' }],
    });
    expect(invalidReport(error)).toEqual({
      total: 3000,
      valid: 1000,
      creates: null,
      updates: null,
      errorsTotal: 2001,
      rows: [{ row: 2, field: 'price_online', message: 'Сумма в рублях' }],
    });
  });

  it('is no report for other errors', () => {
    expect(invalidReport(new ApiError(422, { title: 'Некорректные данные', errors: [{ field: 'x', message: 'y' }] }))).toBeNull();
    expect(invalidReport(new ApiError(400, { type: 'import-invalid', rows: [] }))).toBeNull();
    expect(invalidReport(new Error('boom'))).toBeNull();
  });
});
