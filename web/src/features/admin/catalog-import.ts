// The catalog import's file: which format a chosen file is, the CSV columns as the page explains them, the sample
// file, and the report of a check (a dry run's 200 or the 422 «import-invalid» problem). Pure; unit-tested.
import { ApiError } from '@/lib/api-client';
import type { ImportCheck, ImportRowError, ImportStatus } from '@/types/api';
import type { ImportFormat } from './api/imports';

export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 100_000;

// The format from the file's extension, else from its type (Windows often calls a .csv application/vnd.ms-excel,
// hence the extension first); null when it is neither CSV nor JSON.
export function importFormat(file: { name: string; type: string }): ImportFormat | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return 'text/csv';
  if (name.endsWith('.json')) return 'application/json';
  const type = file.type.toLowerCase().split(';')[0].trim();
  if (type === 'text/csv') return 'text/csv';
  if (type === 'application/json') return 'application/json';
  return null;
}

// The CSV columns in the order of the sample, as the page explains them.
export const CSV_COLUMNS: { name: string; required: boolean; about: string }[] = [
  { name: 'slug', required: true, about: 'Адрес премьеры: строчная латиница, цифры и дефис. По нему премьера узнаётся: если она уже есть в каталоге, она обновится' },
  { name: 'title', required: true, about: 'Название' },
  { name: 'theatre', required: true, about: 'Театр' },
  { name: 'director', required: true, about: 'Режиссёр' },
  { name: 'genre', required: false, about: 'Жанр' },
  { name: 'age_rating', required: true, about: 'Возраст: 0+, 6+, 12+, 16+ или 18+' },
  { name: 'duration_minutes', required: true, about: 'Длительность, минут' },
  { name: 'description_short', required: true, about: 'Коротко, для карточки (до 500 символов)' },
  { name: 'description_full', required: true, about: 'Полное описание' },
  { name: 'price_theatre', required: true, about: 'Цена в театре, ₽: 1500, 1500,00 или 1500.50' },
  { name: 'price_online', required: true, about: 'Цена онлайн за базовый срок, ₽, так же' },
  { name: 'discount_percent', required: false, about: 'Скидка, %: от 0 до 100' },
  { name: 'discount_until', required: false, about: 'Скидка действует до (время RFC 3339); пусто — без срока' },
  { name: 'base_period_hours', required: true, about: 'Базовый срок аренды, часов (к нему относится цена онлайн); должен быть среди periods' },
  { name: 'periods', required: true, about: 'Сроки аренды «часы:множитель цены» через |, например 24:1|48:1,5' },
  { name: 'reservable_from', required: true, about: 'Бронировать можно с — время RFC 3339, например 2026-12-01T19:00:00Z' },
  { name: 'reservable_until', required: true, about: 'Бронировать можно до — так же, позже начала' },
  { name: 'live_at', required: false, about: 'Прямая трансляция (время RFC 3339); пусто — запись, без живого показа' },
  { name: 'capacity', required: false, about: 'Мест на живом показе; пусто — без ограничения' },
  { name: 'featured', required: false, about: 'Рекомендуем: да/нет, true/false или 1/0; пусто — нет' },
  { name: 'hidden', required: false, about: 'Скрыта с витрины: да/нет, true/false или 1/0; пусто — нет' },
  { name: 'cast', required: false, about: 'Актёры и роли по порядку: «Актёр: Роль» через |' },
];

export const SAMPLE_FILE_NAME = 'import-obrazec.csv';

const DAY = 86_400_000;
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

// A field as CSV writes it: quoted when it holds the separator, a quote or a line break ("" for a quote).
const csvField = (value: string) => (/[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

// The sample: the header and two premieres that pass the checks, bookable from today (UTC) for 90 days, hidden
// from the storefront should someone import it as it is. Semicolons, CRLF lines (as Excel writes them).
export function sampleCsv(now: number): string {
  const today = Math.floor(now / DAY) * DAY;
  const rows: Record<string, string>[] = [
    {
      slug: 'chayka-obrazec',
      title: 'Чайка (образец)',
      theatre: 'Театр на Покровке',
      director: 'Анна Иванова',
      genre: 'драма',
      age_rating: '16+',
      duration_minutes: '150',
      description_short: 'Комедия в четырёх действиях.',
      description_full: 'Чехов о театре, любви и «новых формах»; спектакль в двух частях, в роли Нины — "новое лицо" труппы.',
      price_theatre: '3500',
      price_online: '599,00',
      discount_percent: '10',
      discount_until: rfc3339(today + 30 * DAY),
      base_period_hours: '24',
      periods: '24:1|48:1,5',
      reservable_from: rfc3339(today),
      reservable_until: rfc3339(today + 90 * DAY),
      live_at: '',
      capacity: '',
      featured: 'нет',
      hidden: 'да',
      cast: 'Мария Петрова: Нина Заречная|Игорь Смирнов: Константин Треплев',
    },
    {
      slug: 'revizor-obrazec',
      title: 'Ревизор (образец)',
      theatre: 'Театр на Покровке',
      director: 'Пётр Сергеев',
      genre: 'комедия',
      age_rating: '12+',
      duration_minutes: '130',
      description_short: 'Гоголь: чиновники уездного города ждут ревизора.',
      description_full: 'Хлестаков, Городничий и весь уездный город.',
      price_theatre: '2500.50',
      price_online: '449',
      discount_percent: '0',
      discount_until: '',
      base_period_hours: '48',
      periods: '24:0,7|48:1',
      reservable_from: rfc3339(today),
      reservable_until: rfc3339(today + 90 * DAY),
      live_at: rfc3339(today + 14 * DAY + 16 * 3_600_000),
      capacity: '500',
      featured: 'нет',
      hidden: 'да',
      cast: '',
    },
  ];
  const names = CSV_COLUMNS.map((c) => c.name);
  return [names, ...rows.map((row) => names.map((n) => row[n]))].map((fields) => fields.map(csvField).join(';') + '\r\n').join('');
}

// The sample as the file «Скачать образец» saves: UTF-8 with a BOM, so that Excel reads the Cyrillic right.
export function sampleBlob(now: number): Blob {
  return new Blob(['\ufeff', sampleCsv(now)], { type: 'text/csv;charset=utf-8' });
}

// What a check found: a dry run's 200 (no errors) or a 422's rows.
export type ImportReport = {
  total: number;
  valid: number;
  creates: number | null;
  updates: number | null;
  errorsTotal: number;
  rows: ImportRowError[];
};

export function checkedReport(check: ImportCheck): ImportReport {
  return { total: check.total, valid: check.valid, creates: check.creates, updates: check.updates, errorsTotal: 0, rows: [] };
}

const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

// The report of the 422 «import-invalid» problem (a check or an import), or null when `error` is something else.
export function invalidReport(error: unknown): ImportReport | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const { type, rows } = error.body;
  if (!(typeof type === 'string' && type.endsWith('import-invalid')) && !Array.isArray(rows)) return null;
  const listed = (Array.isArray(rows) ? rows : []).filter(
    (r): r is ImportRowError => !!r && typeof r.row === 'number' && typeof r.field === 'string' && typeof r.message === 'string',
  );
  return {
    total: count(error.body.total),
    valid: count(error.body.valid),
    creates: null,
    updates: null,
    errorsTotal: Math.max(count(error.body.errors_total), listed.length),
    rows: listed,
  };
}

export const IMPORT_STATUS: Record<ImportStatus, string> = {
  running: 'Идёт',
  done: 'Завершён',
  failed: 'Ошибка',
  interrupted: 'Прерван',
};
