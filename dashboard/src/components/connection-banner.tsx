import { useEffect, useState } from 'react';
import { useConnection } from '../hooks/use-live.js';

/**
 * Tells the agent when live updates are not flowing. The first connection gets a moment before it is
 * announced, so a normal page load does not flash a warning.
 */
export function ConnectionBanner() {
  const { connection, everOpened } = useConnection();
  const [graceOver, setGraceOver] = useState(false);

  useEffect(() => {
    const t = setTimeout(() => setGraceOver(true), 2000);
    return () => clearTimeout(t);
  }, []);

  const down = connection !== 'open' && (everOpened || graceOver);
  return (
    <div className="banner-slot" role="status" aria-live="polite">
      {down && (
        <div className="banner banner-warning" data-testid="connection-banner">
          <span className="spinner spinner-small" aria-hidden="true" />
          {everOpened
            ? 'Connection lost — reconnecting… Messages you send will go out once it is back.'
            : 'Connecting to live updates…'}
        </div>
      )}
    </div>
  );
}
