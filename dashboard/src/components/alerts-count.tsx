import { useEffect, useState } from 'react';
import { ALERTS_SEEN_EVENT, alertsApi } from '../alerts-api.js';
import { usePathname } from '../lib/router.js';
import { useSession } from '../lib/session-context.js';

/**
 * Beside "Alerts" (administrators): how many security alerts this administrator has not been shown
 * yet. Asked again on every move between screens and when the alerts screen marks them seen; a
 * failure shows nothing rather than a wrong number.
 */
export function AlertsCount() {
  const { me } = useSession();
  const pathname = usePathname();
  const [count, setCount] = useState(0);
  const [round, setRound] = useState(0);

  useEffect(() => {
    const again = () => setRound((n) => n + 1);
    window.addEventListener(ALERTS_SEEN_EVENT, again);
    return () => window.removeEventListener(ALERTS_SEEN_EVENT, again);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new screen or a mark is the trigger
  useEffect(() => {
    let cancelled = false;
    alertsApi.list(me.workspace.id, 1).then(
      (list) => !cancelled && setCount(list.unread),
      () => !cancelled && setCount(0),
    );
    return () => {
      cancelled = true;
    };
  }, [me.workspace.id, pathname, round]);

  if (count === 0) return null;
  return (
    <span className="nav-count nav-count-alert" data-testid="alerts-count">
      {count}
      <span className="visually-hidden"> new</span>
    </span>
  );
}
