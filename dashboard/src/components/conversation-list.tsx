import { type KeyboardEvent, useState } from 'react';
import type { Conversation } from '../../../protocol/common.js';
import type { Label } from '../../../protocol/labels.js';
import { CHANNEL_LABELS } from '../channels-api.js';
import { useConversationLabels, useLabels } from '../hooks/use-labels.js';
import { useCounts } from '../hooks/use-lifecycle.js';
import { useInbox, useSeen } from '../hooks/use-live.js';
import { Link } from '../lib/router.js';
import { useSession } from '../lib/session-context.js';
import { STATUS_LABEL } from '../lifecycle-api.js';
import { Avatar } from './avatar.js';
import { InboxSearch, type SearchState } from './inbox-search.js';
import { InboxStatusTabs } from './inbox-status-tabs.js';
import { LabelChips } from './label-chip.js';
import { RelativeTime } from './relative-time.js';
import { type InboxView, ServiceBar } from './service-bar.js';

/** Up/Down move between conversations, like a mail client; Enter opens (it is a link). */
function onListKeyDown(event: KeyboardEvent<HTMLUListElement>) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const links = [...event.currentTarget.querySelectorAll<HTMLAnchorElement>('a.conversation-link')];
  const at = links.indexOf(document.activeElement as HTMLAnchorElement);
  const next = links[event.key === 'ArrowDown' ? at + 1 : at <= 0 ? 0 : at - 1];
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

export function ConversationList({ selectedId }: { selectedId: string | null }) {
  const { inbox, isAdmin, me } = useSession();
  const { items: all, loading, error, hasMore, loadingMore } = useInbox();
  const seen = useSeen();
  const [view, setView] = useState<InboxView>('all');
  const [search, setSearch] = useState<SearchState>({ state: 'idle' });
  const labels = useLabels();
  // An operator is told once more when a conversation is taken from them (transfer, reassignment);
  // from then on it is someone else's and leaves their list.
  const confined = me.role === 'operator';
  const { status } = useInbox();
  const { counts, loaded } = useCounts();
  const items = all.filter((c) =>
    confined && c.query && c.query.state !== 'queued' && c.query.assigneeId !== me.user.id
      ? false
      : view === 'queue'
        ? !c.query?.assigneeId
        : view === 'mine'
          ? c.query?.assigneeId === me.user.id
          : true,
  );
  // The first-run hint only when the workspace has no conversations at all, not when a tab is empty.
  // An operator's counts cover only her own and the queue's: zero there says nothing of the workspace.
  const nothingAnywhere = !confined && loaded && Object.values(counts.all).every((n) => n === 0);
  const found = search.state === 'done' ? search.items : null;
  const shown = found ?? items;
  const labelsOf = useConversationLabels(shown.map((c) => c.id));

  return (
    <aside className="inbox-list" aria-labelledby="inbox-list-title">
      <div className="inbox-list-header">
        <h2 id="inbox-list-title" className="inbox-list-title">
          {STATUS_LABEL[status]} conversations
        </h2>
        {!loading && <span className="count-pill">{items.length}</span>}
      </div>
      <InboxSearch onChange={setSearch} />
      {search.state === 'idle' && <ServiceBar view={view} onView={setView} />}
      {search.state === 'idle' && <InboxStatusTabs view={view} />}
      {search.state === 'searching' && (
        <p className="list-placeholder muted" role="status">
          Searching…
        </p>
      )}
      {search.state === 'error' && (
        <p className="inline-error" role="alert">
          {search.message}
        </p>
      )}
      {found && (
        <p className="muted search-summary" role="status" data-testid="search-summary">
          {found.length === 0 ? 'No conversation matches.' : `${found.length} found`}
        </p>
      )}
      {error && (
        <div className="inline-error" role="alert">
          <span>{error}</span>
          <button type="button" className="button button-small" onClick={() => void inbox.reload()}>
            Retry
          </button>
        </div>
      )}
      {loading && (
        <p className="list-placeholder muted" role="status">
          Loading conversations…
        </p>
      )}
      {search.state === 'idle' && !loading && !error && items.length === 0 && !nothingAnywhere && (
        <p className="list-placeholder muted" data-testid="tab-empty">
          No {STATUS_LABEL[status].toLowerCase()} conversations here.
        </p>
      )}
      {search.state === 'idle' && !loading && !error && items.length === 0 && nothingAnywhere && (
        <div className="list-empty">
          <p className="list-empty-title">
            No open conversations yet — add the widget to your site to start.
          </p>
          <p className="muted">New conversations appear here as soon as a visitor says hello.</p>
          <Link href="/widgets" className="button button-small">
            {isAdmin ? 'Set up a widget' : 'See widgets'}
          </Link>
        </div>
      )}
      {(search.state === 'idle' || found) && shown.length > 0 && (
        <ul className="conversation-items" onKeyDown={onListKeyDown}>
          {shown.map((c) => (
            <ConversationItem
              key={c.id}
              conversation={c}
              labels={labels}
              labelIds={labelsOf[c.id]}
              selected={c.id === selectedId}
              unread={c.id === selectedId ? 0 : Math.max(0, c.lastSeq - (seen[c.id] ?? 0))}
            />
          ))}
        </ul>
      )}
      {search.state === 'idle' && hasMore && (
        <button
          type="button"
          className="button button-quiet button-block"
          onClick={() => void inbox.loadMore()}
          disabled={loadingMore}
        >
          {loadingMore ? 'Loading…' : 'Show older conversations'}
        </button>
      )}
    </aside>
  );
}

function ConversationItem({
  conversation: c,
  labels,
  labelIds,
  selected,
  unread,
}: {
  conversation: Conversation;
  labels: Label[];
  labelIds: string[] | undefined;
  selected: boolean;
  /** Messages after this agent's read cursor (server-side, the same on every device). */
  unread: number;
}) {
  const cls = ['conversation-link', selected && 'is-selected', unread > 0 && 'is-unread']
    .filter(Boolean)
    .join(' ');
  return (
    <li
      data-testid="conversation-item"
      data-conversation-id={c.id}
      data-unread={unread > 0 ? 'true' : 'false'}
    >
      <Link href={`/inbox/${c.id}`} className={cls} aria-current={selected ? 'page' : undefined}>
        <Avatar name={c.visitor.name} />
        <span className="conversation-main">
          <span className="conversation-top">
            <span className="conversation-name">{c.visitor.name}</span>
            {c.channel && c.channel !== 'web' && (
              <span className={`channel-tag channel-${c.channel}`} data-testid="channel-tag">
                {CHANNEL_LABELS[c.channel]}
              </span>
            )}
            {c.handoff === 'requested' && (!c.query || c.query.state === 'queued') && (
              <span className="handoff-tag" data-testid="handoff-tag">
                Waiting for a person
              </span>
            )}
            <RelativeTime iso={c.lastMessageAt ?? c.createdAt} className="conversation-time" />
          </span>
          <span className="conversation-preview">{c.lastMessagePreview ?? 'No messages yet'}</span>
          <LabelChips labels={labels} ids={labelIds} />
        </span>
        {unread > 0 && (
          <span className="unread-count-pill" data-testid="unread-count">
            {unread}
            <span className="visually-hidden"> unread</span>
          </span>
        )}
      </Link>
    </li>
  );
}
