import { ConversationList } from '../components/conversation-list.js';
import { ConversationView } from '../components/conversation-view.js';
import { InboxShortcuts } from '../components/inbox-shortcuts.js';
import { useInbox } from '../hooks/use-live.js';
import { useTitle } from '../hooks/use-title.js';

/** The agent's day: open conversations on the left, the selected one on the right. */
export function InboxScreen({ conversationId }: { conversationId: string | null }) {
  useTitle('Inbox');
  const { items, loading } = useInbox();
  return (
    <div className={`inbox${conversationId ? ' has-selection' : ''}`}>
      {/* The page's heading, also when a phone shows only the conversation and hides the list. */}
      <h1 className="visually-hidden">Inbox</h1>
      <InboxShortcuts conversationId={conversationId} />
      <ConversationList selectedId={conversationId} />
      <section className="inbox-detail" aria-label="Conversation">
        {conversationId ? (
          <ConversationView key={conversationId} conversationId={conversationId} />
        ) : (
          <div className="detail-empty">
            {loading || items.length > 0 ? (
              <>
                <p className="detail-empty-title">Select a conversation</p>
                <p className="muted">
                  Pick a conversation on the left to read it and reply. Use ↑ and ↓ to move through the list;
                  press <kbd>?</kbd> for keyboard shortcuts.
                </p>
              </>
            ) : (
              <>
                <p className="detail-empty-title">All quiet</p>
                <p className="muted">When a visitor starts a chat, it shows up on the left right away.</p>
              </>
            )}
          </div>
        )}
      </section>
    </div>
  );
}
