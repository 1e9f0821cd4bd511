import type { Load } from '../hooks/use-load.js';

/**
 * What a screen shows while its data loads, or when loading failed (with a way to try again).
 * Nothing once the data is there: the screen shows that itself.
 */
export function LoadStatus<T>({
  result,
  loading,
  onRetry,
}: {
  result: Load<T>;
  /** "Loading the outbox…" */
  loading: string;
  onRetry: () => void;
}) {
  if (result.state === 'loading')
    return (
      <p className="muted" role="status">
        {loading}
      </p>
    );
  if (result.state === 'error')
    return (
      <div className="inline-error" role="alert">
        <span>{result.message}</span>
        <button type="button" className="button button-small" onClick={onRetry}>
          Retry
        </button>
      </div>
    );
  return null;
}
