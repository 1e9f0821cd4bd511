/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Attachment } from '../../protocol/attachments.js';
import type { Author, Message } from '../../protocol/common.js';
import type { MessageAction } from '../../protocol/structured.js';
import type { ChatState } from './chat.js';
import { useTexts } from './i18n/context.js';
import type { Texts } from './i18n/index.js';
import { type FileUrl, MessageFiles } from './message-files.js';
import type { Rate } from './rating.js';
import { Parts, QuickReplies } from './structured.js';

interface Item {
  key: string;
  author: Author | null; // null: the visitor's own message still on its way
  body: string;
  seq?: number;
  createdAt?: string;
  status: 'sent' | 'sending' | 'failed';
  error?: string;
  errorCode?: string;
  clientId: string;
  message?: Message;
  attachments?: readonly Attachment[];
}

// Plain text only; web addresses become links, and only http(s) ones (DESIGN.md §5).
const URL_RE = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)'\]]/g;

function Body({ text }: { text: string }) {
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    const start = match.index ?? 0;
    parts.push(text.slice(last, start));
    parts.push(
      <a href={match[0]} target="_blank" rel="noopener noreferrer nofollow">
        {match[0]}
      </a>,
    );
    last = start + match[0].length;
  }
  parts.push(text.slice(last));
  return <div class="pw-body">{parts}</div>;
}

function typingText(texts: Texts, names: string[]): string {
  if (names.length === 1) return texts.t('typingOne', { name: names[0] ?? '' });
  return texts.t('typingMany', { names: texts.list(names) });
}

export function MessageList({
  state,
  onRetry,
  onChoose,
  onRate,
  fileUrl,
}: {
  state: ChatState;
  fileUrl: FileUrl;
  onRetry: (clientId: string) => void;
  onChoose: (message: Message, action: MessageAction) => void;
  onRate?: Rate;
}) {
  const texts = useTexts();
  const { t } = texts;
  const list = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const sentCount = useRef(0);

  const items: Item[] = [
    ...state.messages.map(
      (m): Item => ({
        key: `m${m.clientId || m.seq}`,
        author: m.author,
        body: m.body,
        seq: m.seq,
        createdAt: m.createdAt,
        status: 'sent',
        clientId: m.clientId,
        message: m,
        ...(m.attachments ? { attachments: m.attachments } : {}),
      }),
    ),
    ...state.pending.map((p): Item => ({ key: `m${p.clientId}`, author: null, ...p })),
  ];
  const isOwn = (item: Item): boolean =>
    item.author === null || (item.author.kind === 'visitor' && item.author.id === state.visitorId);
  const authorKey = (item: Item): string => (isOwn(item) ? '' : (item.author?.id ?? ''));
  // "Seen" sits under the visitor's last message a person on the team has read.
  const seenAt = items.reduce(
    (at, item) => (item.status === 'sent' && isOwn(item) && (item.seq ?? 0) <= state.seenSeq ? item.seq : at),
    undefined as number | undefined,
  );

  // Follow new messages while the visitor is at the bottom, and always after they send one. It runs
  // after every render: a status line or a failed send's note also grows the list.
  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    if (atBottom.current || state.pending.length > sentCount.current) el.scrollTop = el.scrollHeight;
    sentCount.current = state.pending.length;
  });

  return (
    // A scrollable log (more so while a call takes room above it) must be reachable by keyboard to
    // scroll it (axe: scrollable-region-focusable).
    <div
      class="pw-list"
      ref={list}
      role="log"
      aria-label={t('messages')}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs the focus to scroll
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      }}
    >
      {items.map((item, i) => {
        const own = isOwn(item);
        const first = i === 0 || authorKey(items[i - 1] as Item) !== authorKey(item);
        const next = items[i + 1];
        const lastOfGroup = !next || authorKey(next) !== authorKey(item) || next.status !== item.status;
        return (
          <div
            key={item.key}
            class={`pw-msg ${own ? 'pw-own' : 'pw-other'}${first ? ' pw-first' : ''}`}
            data-testid="message"
            data-seq={item.seq}
            data-author-kind={item.author?.kind ?? 'visitor'}
            data-status={item.status}
            data-client-id={item.clientId}
          >
            {!own && first && <div class="pw-name">{item.author?.name}</div>}
            <div class={`pw-bubble pw-${item.status}`}>
              {item.body && <Body text={item.body} />}
              {item.attachments && item.status === 'sent' && item.message && (
                <MessageFiles
                  conversationId={item.message.conversationId}
                  attachments={item.attachments}
                  url={fileUrl}
                />
              )}
              {item.attachments && item.status !== 'sent' && (
                <ul class="pw-sending-files" aria-label="Files">
                  {item.attachments.map((a) => (
                    <li key={a.id}>{a.name}</li>
                  ))}
                </ul>
              )}
              {item.message && <Parts message={item.message} onRate={onRate} />}
            </div>
            {/* Buttons only while they are the latest word: an older offer is history, not a choice. */}
            {item.message && i === items.length - 1 && !state.closed && (
              <QuickReplies message={item.message} onChoose={onChoose} />
            )}
            {item.status === 'sending' && <div class="pw-meta">{t('sending')}</div>}
            {item.status === 'failed' && (
              <div class="pw-meta pw-error" role="alert">
                {t('notSent', { error: texts.error(item.errorCode, item.error) })}
                {!state.closed && (
                  <button type="button" class="pw-link" onClick={() => onRetry(item.clientId)}>
                    {t('retry')}
                  </button>
                )}
              </div>
            )}
            {item.status === 'sent' && (lastOfGroup || item.seq === seenAt) && (
              <div class="pw-meta">
                {item.seq === seenAt ? (
                  <span data-testid="seen">{t('seen')} · </span>
                ) : own ? (
                  `${t('sent')} · `
                ) : (
                  ''
                )}
                <time dateTime={item.createdAt}>{texts.time(item.createdAt)}</time>
              </div>
            )}
          </div>
        );
      })}
      {state.typing.length > 0 && (
        <div class="pw-typing" data-testid="typing">
          <span class="pw-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {typingText(
            texts,
            state.typing.map((a) => a.name),
          )}
        </div>
      )}
    </div>
  );
}
