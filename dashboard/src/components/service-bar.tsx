import { useEffect, useRef, useState } from 'react';
import { useCounts } from '../hooks/use-lifecycle.js';
import { useInbox } from '../hooks/use-live.js';
import { useSession } from '../lib/session-context.js';
import { serviceApi } from '../service-api.js';

export type InboxView = 'all' | 'queue' | 'mine';

/** A short tone through Web Audio: no sound file to load, nothing to allow in the CSP. */
function chime(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.4);
  } catch {
    /* no audio device: the badge still shows it */
  }
}

/**
 * Mine / Unassigned / All with live counts for the status tab shown (the server's confined counts), the agent's presence, and the
 * sound/desktop notification for new queries (the browser asks for permission on the button).
 */
export function ServiceBar({ view, onView }: { view: InboxView; onView: (v: InboxView) => void }) {
  const { me } = useSession();
  const { items } = useInbox();
  const [away, setAway] = useState(false);
  const [permission, setPermission] = useState(() =>
    typeof Notification === 'undefined' ? 'unsupported' : Notification.permission,
  );
  const queued = items.filter((c) => c.query?.state === 'queued');
  const { status } = useInbox();
  const { counts } = useCounts();
  const known = useRef<Set<string> | null>(null);

  useEffect(() => {
    const ids = new Set(queued.map((c) => c.query?.id ?? c.id));
    const before = known.current;
    known.current = ids;
    if (!before) return;
    const fresh = queued.filter((c) => !before.has(c.query?.id ?? c.id));
    if (fresh.length === 0) return;
    chime();
    if (permission === 'granted')
      new Notification('New conversation waiting', {
        body: `${fresh[0]?.visitor.name ?? 'A visitor'} asked for a person.`,
      });
  }, [queued, permission]);

  const toggleAway = () => {
    const next = !away;
    setAway(next);
    void serviceApi.presence(me.workspace.id, next ? 'away' : 'online').catch(() => setAway(!next));
  };

  return (
    <div className="service-bar" data-testid="service-bar">
      <div className="segmented" role="tablist" aria-label="Show">
        {(
          [
            ['mine', 'Mine', counts.mine[status]],
            ['queue', 'Unassigned', counts.unassigned[status]],
            ['all', 'All', counts.all[status]],
          ] as const
        ).map(([key, label, count]) => (
          <button
            key={key}
            type="button"
            role="tab"
            aria-selected={view === key}
            className={`segment${view === key ? ' is-active' : ''}`}
            data-testid={`view-${key}`}
            onClick={() => onView(key)}
          >
            {label} <span className="count-pill">{count}</span>
          </button>
        ))}
      </div>
      <div className="service-bar-actions">
        <button type="button" className="button button-small" onClick={toggleAway} aria-pressed={away}>
          {away ? 'Away — get chats again' : 'Online — set away'}
        </button>
        {permission === 'default' && (
          <button
            type="button"
            className="button button-small"
            onClick={() => void Notification.requestPermission().then(setPermission)}
          >
            Notify me of new queries
          </button>
        )}
      </div>
    </div>
  );
}
