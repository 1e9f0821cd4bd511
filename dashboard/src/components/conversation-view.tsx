import { useEffect } from 'react';
import { useConversationMeta } from '../hooks/use-conversation-meta.js';
import { useConversation } from '../hooks/use-live.js';
import { useTitle } from '../hooks/use-title.js';
import { Link } from '../lib/router.js';
import { useSession } from '../lib/session-context.js';
import { Avatar } from './avatar.js';
import { ConversationLabels } from './conversation-labels.js';
import { ConversationTools } from './conversation-tools.js';
import { MessageList } from './message-list.js';
import { QueryPanel } from './query-panel.js';
import { VisitorReadReceipt } from './read-receipt.js';
import { RelativeTime } from './relative-time.js';
import { ReplyBox } from './reply-box.js';
import { TypingIndicator } from './typing-indicator.js';
import { VisitorPanel } from './visitor-panel.js';

export function ConversationView({ conversationId }: { conversationId: string }) {
  const { seen } = useSession();
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

  if (meta.state === 'missing') {
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

  const closed = conversation?.status === 'closed';
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
              <span className={`status-badge status-${conversation.status}`}>
                {closed ? 'Closed' : 'Open'}
              </span>
              <span>
                Started <RelativeTime iso={conversation.createdAt} ago />
              </span>
            </p>
          )}
          {conversation && <ConversationLabels conversationId={conversationId} />}
        </div>
      </header>
      {conversation && (
        <ConversationTools summary="Handoff, visitor details and notes">
          <QueryPanel conversation={conversation} />
          <VisitorPanel conversation={conversation} />
        </ConversationTools>
      )}
      {meta.state === 'error' && (
        <div className="inline-error" role="alert">
          {meta.message}
        </div>
      )}
      <MessageList conversationId={conversationId} snapshot={snap} />
      <VisitorReadReceipt conversationId={conversationId} messages={snap.messages} />
      <TypingIndicator typists={snap.typing} />
      {closed ? (
        <p className="reply-closed">This conversation is closed. Replies are turned off.</p>
      ) : (
        <ReplyBox conversationId={conversationId} visitorName={conversation?.visitor.name ?? ''} />
      )}
    </div>
  );
}
