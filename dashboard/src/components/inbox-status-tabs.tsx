import type { KeyboardEvent } from 'react';
import { useCounts } from '../hooks/use-lifecycle.js';
import { useInbox } from '../hooks/use-live.js';
import type { InboxStatus } from '../lib/inbox-store.js';
import { useSession } from '../lib/session-context.js';
import type { InboxView } from './service-bar.js';

const TABS: ReadonlyArray<[InboxStatus, string]> = [
  ['open', 'Open'],
  ['pending', 'Pending'],
  ['snoozed', 'Snoozed'],
  ['resolved', 'Resolved'],
];

/** The server's name for each of the list's views. */
export const COUNT_OF_VIEW = { all: 'all', queue: 'unassigned', mine: 'mine' } as const;

/**
 * The status tabs above the list, each with its count for the chosen view (Mine / Unassigned / All).
 * A resolved or snoozed conversation leaves "Open" the moment the change is published.
 */
export function InboxStatusTabs({ view }: { view: InboxView }) {
  const { inbox } = useSession();
  const { status } = useInbox();
  const { counts } = useCounts();
  const per = counts[COUNT_OF_VIEW[view]];
  // Arrow keys move between tabs, as in any tab list.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const at = TABS.findIndex(([key]) => key === status);
    const next = TABS[(at + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    if (!next) return;
    event.preventDefault();
    inbox.setStatus(next[0]);
    event.currentTarget.querySelector<HTMLButtonElement>(`[data-status="${next[0]}"]`)?.focus();
  };
  return (
    <div className="status-tabs" role="tablist" aria-label="Status" onKeyDown={onKeyDown}>
      {TABS.map(([key, label]) => (
        <button
          key={key}
          type="button"
          role="tab"
          aria-selected={status === key}
          tabIndex={status === key ? 0 : -1}
          className={`status-tab${status === key ? ' is-active' : ''}`}
          data-testid={`status-${key}`}
          data-status={key}
          onClick={() => inbox.setStatus(key)}
        >
          {label} <span className="count-pill">{per[key]}</span>
        </button>
      ))}
    </div>
  );
}
