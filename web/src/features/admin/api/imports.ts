import { api } from '@/lib/api-client';
import type { ImportCheck, ImportJob, ImportStarted } from '@/types/api';

// How the file goes: its Content-Type.
export type ImportFormat = 'text/csv' | 'application/json';

// POST /admin/imports?dry_run=true (admin): every row checked, nothing written. 422 «import-invalid» lists the rows
// at fault (see invalidReport); 400 naming `file` for a file that cannot be read at all; 413 beyond 32 MiB.
export function checkImport(file: Blob, format: ImportFormat) {
  return api<ImportCheck>('POST', '/admin/imports?dry_run=true', { raw: { data: file, type: format } });
}

// POST /admin/imports: the same checks (the same 400/422, nothing written), then 202 and the import runs on.
export function startImport(file: Blob, format: ImportFormat) {
  return api<ImportStarted>('POST', '/admin/imports', { raw: { data: file, type: format } });
}

export function getImport(id: ImportStarted['id'], signal?: AbortSignal) {
  return api<ImportJob>('GET', `/admin/imports/${encodeURIComponent(String(id))}`, { signal });
}

// The 20 latest imports, newest first.
export function listImports(signal?: AbortSignal) {
  return api<{ items: ImportJob[] }>('GET', '/admin/imports', { signal });
}
