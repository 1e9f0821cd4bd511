import { useEffect, useRef, useState } from 'react';
import { useCounts } from '../hooks/use-lifecycle.js';
import { useInbox } from '../hooks/use-live.js';
import { chime, notifyDesktop } from '../lib/notification-prefs.js';
import { useSession } from '../lib/session-context.js';
import { receiptsApi } from '../receipts-api.js';
import { serviceApi } from '../service-api.js';
import { NotificationControls } from './message-notifier.js';

export type InboxView = 'all' | 'queue' | 'mine';

/**
 * Mine / Unassigned / All with live counts for the status tab shown (the server's confined counts), the agent's presence, and the
 * sound/desktop notification for new queries (the browser asks for permission on the button).
 */
export function ServiceBar({ view, onView }: { view: InboxView; onView: (v: InboxView) => void }) {
  const { me } = useSession();
  const { items } = useInbox();
  const [away, setAway] = useState(false);
  // The presence the server holds, not an assumed "online": after a reload an agent who chose
  // "away" still is, and the button must say so.
  useEffect(() => {
    receiptsApi.presence(me.workspace.id).then(
      (p) => setAway(p.status === 'away'),
      () => {},
    );
  }, [me.workspace.id]);
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
    notifyDesktop(
      'New conversation waiting',
      `${fresh[0]?.visitor.name ?? 'A visitor'} asked for a person.`,
      'queue',
    );
  }, [queued]);

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
        <button
          type="button"
          className="button button-small"
          onClick={toggleAway}
          aria-pressed={away}
          data-testid="presence-toggle"
        >
          {away ? 'Away — get chats again' : 'Online — set away'}
        </button>
        <NotificationControls />
      </div>
    </div>
  );
}
