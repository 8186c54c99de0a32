import { ApiError } from '@/lib/api-client';

// An error for the customer: the Russian detail of an ApiError, a generic line for anything else.
export function errorText(error: unknown): string {
  return error instanceof ApiError ? error.detail : 'Что-то пошло не так. Попробуйте ещё раз.';
}

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert">
      <span>{errorText(error)}</span>
      {onRetry && (
        <button type="button" className="button-ghost" onClick={onRetry}>
          Повторить
        </button>
      )}
    </div>
  );
}
