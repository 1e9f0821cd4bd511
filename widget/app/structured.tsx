/** @jsxImportSource preact */
import type { Message } from '../../protocol/common.js';
import { isSafeLink } from '../../protocol/safe-link.js';
import type { MessageAction } from '../../protocol/structured.js';
import { useTexts } from './i18n/context.js';
import { type Rate, Rating } from './rating.js';

/** Cards and the cited article, rendered as text by our own components: never as HTML. */
export function Parts({ message, onRate }: { message: Message; onRate?: Rate }) {
  const { t } = useTexts();
  if (!message.parts?.length) return null;
  return (
    <>
      {message.parts.map((part) =>
        part.type === 'rating' ? (
          onRate ? (
            <Rating key="rating" onRate={onRate} />
          ) : null
        ) : part.type === 'source' ? (
          <div key={`s:${part.title}`} class="pw-source" data-testid="source">
            {t('source')} <cite>{part.title}</cite>
          </div>
        ) : (
          <div key={`c:${part.title}`} class="pw-card" data-testid="card">
            <strong>{part.title}</strong>
            {part.text && <p>{part.text}</p>}
            {/* The server allows only http(s) and mailto; checked again here before it becomes a link. */}
            {part.url && isSafeLink(part.url) && (
              <a href={part.url} target="_blank" rel="noopener noreferrer nofollow">
                {part.linkLabel ?? part.url}
              </a>
            )}
          </div>
        ),
      )}
    </>
  );
}

export function QuickReplies({
  message,
  onChoose,
}: {
  message: Message;
  onChoose: (message: Message, action: MessageAction) => void;
}) {
  if (!message.actions?.length) return null;
  return (
    <div class="pw-replies">
      {message.actions.map((action) => (
        <button
          key={action.id}
          type="button"
          class={`pw-reply${action.kind === 'handoff' ? ' pw-handoff' : ''}`}
          data-testid="quick-reply"
          onClick={() => onChoose(message, action)}
        >
          {action.label}
        </button>
      ))}
    </div>
  );
}
