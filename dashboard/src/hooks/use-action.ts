import { useCallback, useState } from 'react';
import { ApiError, errorMessage } from '../api.js';

export interface ActionError {
  message: string;
  details: string[];
}

/** One save or delete at a time, with the server's answer kept as a message to show. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ActionError | null>(null);
  const run = useCallback(async (work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (e) {
      setError({ message: errorMessage(e), details: e instanceof ApiError ? e.details : [] });
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(null) };
}
