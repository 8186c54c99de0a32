import type { ReactNode } from 'react';
import { ApiError } from '@/lib/api-client';

export function Loading({ label = 'Загрузка…' }: { label?: string }) {
  return <p className="muted" role="status">{label}</p>;
}

export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const text = error instanceof ApiError ? error.detail : 'Что-то пошло не так. Попробуйте ещё раз.';
  return <p className="error" role="alert">{text}</p>;
}

export function Field({ label, id, error, children }: { label: string; id: string; error?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {error && <div className="field-error" role="alert">{error}</div>}
    </div>
  );
}
