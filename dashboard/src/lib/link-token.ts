import { useEffect, useState } from 'react';

/**
 * The one-time token of a mailed link (`/invite#token=…`, `/reset-password#token=…`). It travels in
 * the fragment so it never reaches a server log or a Referer header; once read, it is removed from
 * the address bar and the history entry so it is not left behind in the browser either.
 */
export function useLinkToken(): string | null {
  const [token] = useState(() => new URLSearchParams(window.location.hash.slice(1)).get('token'));
  useEffect(() => {
    if (window.location.hash) {
      window.history.replaceState(
        window.history.state,
        '',
        window.location.pathname + window.location.search,
      );
    }
  }, []);
  return token;
}
