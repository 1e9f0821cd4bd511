import { Fragment, type ReactNode, useLayoutEffect, useRef, useState } from 'react';
import type { MailCheck } from '../../../protocol/email.js';
import { useNow } from '../hooks/use-now.js';
import type { ConversationSnapshot } from '../lib/conversation-store.js';
import { scrollableRegion } from '../lib/scrollable.js';
import { useSession } from '../lib/session-context.js';
import { dayLabel, sameDay } from '../lib/time.js';
import { MessageItem, PendingItem } from './message-item.js';

const NEAR_BOTTOM_PX = 80;
const GROUP_MS = 5 * 60_000;

interface Props {
  conversationId: string;
  snapshot: ConversationSnapshot;
  /** System events (resolutions, transfers, ratings…), shown between the messages by time. */
  events?: ReadonlyArray<{ at: string; key: string; node: ReactNode }>;
  /** Email conversations: the relay's verdicts on the customer's mails, by seq. */
  mailChecks?: ReadonlyMap<number, MailCheck>;
}

/**
 * The conversation's messages in seq order, then the agent's own messages still on their way.
 * It stays pinned to the newest message unless the agent has scrolled up to read; then a button
 * offers to jump down.
 */
export function MessageList({ conversationId, snapshot, events = [], mailChecks }: Props) {
  const { me } = useSession();
  const now = useNow(60_000);
  const { messages, pending, ready, backfillError } = snapshot;
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const lastSeq = messages[messages.length - 1]?.seq ?? 0;

  const scrollToEnd = () => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    pinned.current = true;
    setShowJump(false);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run when the content grows
  useLayoutEffect(() => {
    if (pinned.current) scrollToEnd();
    else setShowJump(true);
  }, [lastSeq, ready]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the agent's own send always scrolls down
  useLayoutEffect(() => {
    if (pending.length > 0) scrollToEnd();
  }, [pending.length]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    if (pinned.current) setShowJump(false);
  };

  return (
    // Live only after the history replay, so opening a conversation does not read it all aloud.
    // The scroll area is the log (a list cannot carry role="log" and keep its items), and it takes
    // focus so a keyboard user can scroll the transcript.
    <div
      className="message-scroll"
      ref={scroller}
      onScroll={onScroll}
      {...scrollableRegion('Messages', 'log')}
      aria-live={ready ? 'polite' : 'off'}
    >
      {!ready && messages.length === 0 && (
        <p className="list-placeholder muted" role="status">
          Loading messages…
        </p>
      )}
      {backfillError && (
        <p className="inline-error" role="alert">
          Some earlier messages could not be loaded: {backfillError}
        </p>
      )}
      <ol className="messages" data-conversation-id={conversationId}>
        {messages.map((m, i) => {
          const prev = messages[i - 1];
          const before = events.filter((e) => e.at <= m.createdAt && (!prev || e.at > prev.createdAt));
          const newDay = !prev || !sameDay(prev.createdAt, m.createdAt);
          const grouped =
            !!prev &&
            !newDay &&
            prev.author.id === m.author.id &&
            prev.author.kind === m.author.kind &&
            Date.parse(m.createdAt) - Date.parse(prev.createdAt) < GROUP_MS;
          return [
            ...before.map((e) => <Fragment key={e.key}>{e.node}</Fragment>),
            newDay && (
              <li key={`day-${m.seq}`} className="day-separator" aria-hidden="true">
                <span>{dayLabel(m.createdAt, now)}</span>
              </li>
            ),
            <MessageItem
              key={m.seq}
              message={m}
              own={m.author.kind === 'agent' && m.author.id === me.user.id}
              grouped={grouped}
              mailCheck={mailChecks?.get(m.seq)}
            />,
          ];
        })}
        {events
          .filter((e) => e.at > (messages[messages.length - 1]?.createdAt ?? ''))
          .map((e) => (
            <Fragment key={e.key}>{e.node}</Fragment>
          ))}
        {pending.map((p) => (
          <PendingItem key={p.clientId} conversationId={conversationId} pending={p} />
        ))}
      </ol>
      {ready && messages.length === 0 && pending.length === 0 && (
        <p className="list-placeholder muted">No messages in this conversation yet.</p>
      )}
      {showJump && (
        <button type="button" className="jump-button" onClick={scrollToEnd}>
          New messages ↓
        </button>
      )}
    </div>
  );
}
