import type { Message } from '../../../protocol/common.js';
import type { MailCheck } from '../../../protocol/email.js';
import { useConnection } from '../hooks/use-live.js';
import type { PendingMessage } from '../lib/conversation-store.js';
import { useSession } from '../lib/session-context.js';
import { clockTime, fullTime } from '../lib/time.js';
import { MailCheckLine } from './mail-checks.js';
import { MessageFiles } from './message-files.js';

const KIND_LABEL = { visitor: 'Visitor', agent: 'Agent', bot: 'Bot', api: 'API' } as const;

/** One message. The body is plain text, rendered as a text node (never as HTML). */
export function MessageItem({
  message: m,
  own,
  grouped,
  mailCheck,
}: {
  message: Message;
  own: boolean;
  grouped: boolean;
  /** An email channel's verdicts on the mail that brought this message. */
  mailCheck?: MailCheck | undefined;
}) {
  const cls = ['message', `message-${m.author.kind}`, own && 'message-own', grouped && 'is-grouped']
    .filter(Boolean)
    .join(' ');
  return (
    <li className={cls} data-testid="message" data-seq={m.seq} data-author-kind={m.author.kind}>
      <div className={grouped ? 'message-meta visually-hidden' : 'message-meta'}>
        <span className="message-author">{own ? 'You' : m.author.name}</span>
        {!own && <span className={`kind-tag kind-${m.author.kind}`}>{KIND_LABEL[m.author.kind]}</span>}
        <time className="message-time" dateTime={m.createdAt} title={fullTime(m.createdAt)}>
          {clockTime(m.createdAt)}
        </time>
      </div>
      {m.body && <div className="message-bubble">{m.body}</div>}
      {m.attachments && <MessageFiles attachments={m.attachments} author={m.author} />}
      <StructuredSummary message={m} />
      {mailCheck && <MailCheckLine check={mailCheck} />}
    </li>
  );
}

/** Structured content as plain labels: what the visitor saw as a source, cards and buttons. */
function StructuredSummary({ message: m }: { message: Message }) {
  const lines: string[] = [];
  for (const part of m.parts ?? []) {
    if (part.type === 'source') lines.push(`Source: ${part.title}`);
    else if (part.type === 'rating') lines.push('Asked the visitor for a rating (1–5)');
    else lines.push(`Card: ${part.title}${part.url ? ` (${part.url})` : ''}`);
  }
  if (m.actions?.length) lines.push(`Buttons: ${m.actions.map((a) => a.label).join(' · ')}`);
  if (m.action) lines.push('Chosen from the buttons');
  if (!lines.length) return null;
  return (
    <div className="message-parts" data-testid="message-parts">
      {lines.map((l) => (
        <div key={l}>{l}</div>
      ))}
    </div>
  );
}

/** The agent's own message until the server has stored it, or the reason it was refused. */
export function PendingItem({
  conversationId,
  pending,
}: {
  conversationId: string;
  pending: PendingMessage;
}) {
  const { conversations } = useSession();
  const { connection } = useConnection();
  const failed = pending.status === 'failed';
  return (
    <li
      className={`message message-agent message-own message-pending${failed ? ' is-failed' : ''}`}
      data-testid="message-pending"
      data-client-id={pending.clientId}
      data-status={pending.status}
    >
      {pending.body && <div className="message-bubble">{pending.body}</div>}
      {pending.attachments && (
        <ul className="message-pending-files" aria-label="Files">
          {pending.attachments.map((a) => (
            <li key={a.id}>{a.name}</li>
          ))}
        </ul>
      )}
      <div className="message-status" role={failed ? 'alert' : undefined}>
        {failed ? (
          <>
            <span>Not sent: {pending.error}</span>
            <button
              type="button"
              className="link-button"
              onClick={() => conversations.retry(conversationId, pending.clientId)}
            >
              Retry
            </button>
            <button
              type="button"
              className="link-button"
              onClick={() => conversations.discard(conversationId, pending.clientId)}
            >
              Discard
            </button>
          </>
        ) : connection === 'open' ? (
          'Sending…'
        ) : (
          'Waiting for the connection…'
        )}
      </div>
    </li>
  );
}
