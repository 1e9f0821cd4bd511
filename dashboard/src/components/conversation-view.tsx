import { useEffect, useState } from 'react';
import type { Conversation } from '../../../protocol/common.js';
import { useConversationMeta } from '../hooks/use-conversation-meta.js';
import { useAgentNames, useTimeline } from '../hooks/use-lifecycle.js';
import { useConversation } from '../hooks/use-live.js';
import { useTitle } from '../hooks/use-title.js';
import { Link } from '../lib/router.js';
import { useSession } from '../lib/session-context.js';
import { clockTime } from '../lib/time.js';
import { STATUS_LABEL } from '../lifecycle-api.js';
import { Avatar } from './avatar.js';
import { CallControls } from './call-panel.js';
import { ConversationLabels } from './conversation-labels.js';
import { ConversationTools } from './conversation-tools.js';
import { EmailFollowUp } from './email-follow-up.js';
import { LifecycleActions } from './lifecycle-actions.js';
import { useMailChecks } from './mail-checks.js';
import { MessageList } from './message-list.js';
import { QueryPanel } from './query-panel.js';
import { VisitorReadReceipt } from './read-receipt.js';
import { RelativeTime } from './relative-time.js';
import { ReplyBox } from './reply-box.js';
import { describeEvent, SystemEvent } from './system-event.js';
import { TypingIndicator } from './typing-indicator.js';
import { VisitorPanel } from './visitor-panel.js';

export function ConversationView({ conversationId }: { conversationId: string }) {
  const { seen, me } = useSession();
  const meta = useConversationMeta(conversationId);
  const snap = useConversation(conversationId);
  const conversation = meta.state === 'ready' ? meta.conversation : null;
  useTitle(conversation ? `${conversation.visitor.name} · Inbox` : 'Inbox');

  // Everything shown while the conversation is open and the page visible counts as read (on the
  // server, so the agent's other devices agree); a hidden tab reads nothing until it is looked at.
  const lastShown = Math.max(conversation?.lastSeq ?? 0, snap.messages[snap.messages.length - 1]?.seq ?? 0);
  useEffect(() => {
    const mark = () => {
      if (lastShown > 0 && document.visibilityState === 'visible') seen.markSeen(conversationId, lastShown);
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [seen, conversationId, lastShown]);

  const [override, setOverride] = useState<{ base: Conversation; status: Conversation['status'] } | null>(
    null,
  );
  // The agent's own change shows at once; the live update that follows replaces it.
  const shown =
    conversation && override?.base === conversation
      ? { ...conversation, status: override.status }
      : conversation;
  const byEmail = conversation?.channel === 'email';
  const mailChecks = useMailChecks(me.workspace.id, conversationId, {
    enabled: byEmail,
    lastSeq: snap.messages[snap.messages.length - 1]?.seq ?? 0,
  });
  const timeline = useTimeline(conversationId);
  const names = useAgentNames(timeline.length > 0);
  const events = timeline.map((e, i) => ({
    at: e.at,
    key: `event-${i}-${e.kind}-${e.at}`,
    node: <SystemEvent event={e} text={describeEvent(e, names.agents, names.codes, me.user.id)} />,
  }));
  if (meta.state === 'missing') {
    // Transferred away while open here: say so, rather than "not found".
    if (snap.accessEnded) return <AccessEnded />;
    return (
      <div className="detail-empty" role="alert">
        <p className="detail-empty-title">Conversation not found</p>
        <p className="muted">It does not exist, or it belongs to another workspace.</p>
        <Link href="/inbox" className="button button-small">
          Back to the inbox
        </Link>
      </div>
    );
  }

  const closed = shown?.status === 'closed';
  return (
    <div className="conversation">
      <header className="conversation-header">
        <Link href="/inbox" className="back-link" aria-label="Back to the conversation list">
          ←
        </Link>
        {conversation && <Avatar name={conversation.visitor.name} />}
        <div className="conversation-heading">
          <h2 className="conversation-title">{conversation?.visitor.name ?? 'Loading…'}</h2>
          {conversation && (
            <p className="conversation-sub">
              <span className={`status-badge status-${shown?.status}`} data-testid="conversation-status">
                {STATUS_LABEL[shown?.status ?? 'open']}
                {shown?.status === 'snoozed' &&
                  (shown.snoozedUntil
                    ? ` until ${clockTime(shown.snoozedUntil)}`
                    : ' until the visitor replies')}
              </span>
              <span>
                Started <RelativeTime iso={conversation.createdAt} ago />
              </span>
            </p>
          )}
          {conversation && <ConversationLabels conversationId={conversationId} />}
        </div>
      </header>
      {shown?.previousConversationId && (
        <p className="conversation-link-note muted" data-testid="previous-conversation">
          The visitor wrote again after an earlier conversation was closed.{' '}
          <Link href={`/inbox/${shown.previousConversationId}`}>Open the earlier conversation</Link>
        </p>
      )}
      {snap.accessEnded && (
        <div className="access-ended" role="alert" data-testid="access-ended">
          <p>
            <strong>This conversation was transferred.</strong> It is no longer yours: replies are turned off
            and it has left your list.
          </p>
          <Link href="/inbox" className="button button-small">
            Back to the inbox
          </Link>
        </div>
      )}
      {conversation && !snap.accessEnded && (
        <ConversationTools summary="Status, handoff, email, visitor details and notes">
          {shown && !snap.accessEnded && (
            <LifecycleActions
              conversation={shown}
              onChanged={(status) => setOverride({ base: conversation as Conversation, status })}
            />
          )}
          <QueryPanel conversation={conversation} />
          {/* An email conversation is answered by mail already: no follow-up to an address on file. */}
          {!closed && !byEmail && <EmailFollowUp conversationId={conversationId} />}
          <VisitorPanel conversation={conversation} />
        </ConversationTools>
      )}
      {conversation && !snap.accessEnded && !closed && (
        <CallControls key={conversationId} conversationId={conversationId} widgetId={conversation.widgetId} />
      )}
      {meta.state === 'error' && (
        <div className="inline-error" role="alert">
          {meta.message}
        </div>
      )}
      <MessageList conversationId={conversationId} snapshot={snap} events={events} mailChecks={mailChecks} />
      <VisitorReadReceipt conversationId={conversationId} messages={snap.messages} />
      <TypingIndicator typists={snap.typing} />
      {snap.accessEnded ? null : closed ? (
        <p className="reply-closed">This conversation is closed. Replies are turned off.</p>
      ) : (
        <>
          {byEmail && (
            <p className="reply-channel-note muted" data-testid="email-reply-note">
              This customer wrote by email: each reply is mailed to them. They do not see that you are typing,
              and buttons arrive as a numbered list they answer with the number.
            </p>
          )}
          <ReplyBox conversationId={conversationId} visitorName={conversation?.visitor.name ?? ''} />
        </>
      )}
    </div>
  );
}

/** The conversation left this agent's scope while open (bug: it used to stay, with reply enabled). */
function AccessEnded() {
  return (
    <div className="access-ended" role="alert" data-testid="access-ended">
      <p>
        <strong>This conversation was transferred.</strong> It is no longer yours: replies are turned off and
        it has left your list.
      </p>
      <Link href="/inbox" className="button button-small">
        Back to the inbox
      </Link>
    </div>
  );
}
