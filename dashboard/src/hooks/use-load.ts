import { useCallback, useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../api.js';

export type Load<T> =
  | { state: 'loading' }
  | { state: 'error'; message: string; status: number }
  | { state: 'ready'; data: T };

/** Runs `fetcher` when `key` changes; `reload()` runs it again; `set()` replaces the data (after a save). */
export function useLoad<T>(key: string, fetcher: () => Promise<T>) {
  const [result, setResult] = useState<Load<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` identifies what fetcher loads
  useEffect(() => {
    let cancelled = false;
    setResult({ state: 'loading' });
    fetcher().then(
      (data) => !cancelled && setResult({ state: 'ready', data }),
      (e: unknown) =>
        !cancelled &&
        setResult({ state: 'error', message: errorMessage(e), status: e instanceof ApiError ? e.status : 0 }),
    );
    return () => {
      cancelled = true;
    };
  }, [key, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  const set = useCallback((data: T) => setResult({ state: 'ready', data }), []);
  return { result, reload, set };
}
