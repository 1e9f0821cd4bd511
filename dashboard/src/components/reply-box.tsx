import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { ATTACHMENT_KINDS } from '../../../protocol/attachment-kinds.js';
import { LIMITS } from '../../../protocol/limits.js';
import type { CannedResponse } from '../../../protocol/service.js';
import { useFileDrafts } from '../hooks/use-file-drafts.js';
import { useSession } from '../lib/session-context.js';
import { fillCanned } from '../service-api.js';
import { FileChips } from './file-chips.js';
import {
  CannedSuggestions,
  cannedMatches,
  cannedOptionId,
  KnowledgeInsert,
  useCannedResponses,
} from './reply-tools.js';

const TYPING_THROTTLE_MS = 3000;
const TYPING_IDLE_MS = 5000;
const COUNTER_FROM = LIMITS.maxMessageChars - 500;

/** What the picker offers; the server decides from the content, whatever the name says. */
const ACCEPT = Object.values(ATTACHMENT_KINDS)
  .flatMap((k) => k.extensions.map((e) => `.${e}`))
  .join(',');

/** Unsent drafts survive switching between conversations (not reloads). */
const drafts = new Map<string, string>();

export function ReplyBox({ conversationId, visitorName }: { conversationId: string; visitorName: string }) {
  const { realtime, conversations, me } = useSession();
  const canned = useCannedResponses();
  /** A canned response, its variables filled, replaces the "/shortcut" typed. */
  const expand = (c: CannedResponse) =>
    onChange(fillCanned(c.body, { visitorName, agentName: me.user.name }));
  const [body, setBody] = useState(() => drafts.get(conversationId) ?? '');
  const lastStart = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const hintId = useId();
  const listId = `${hintId}-canned`;
  const matches = cannedMatches(body, canned);
  const [activeIndex, setActive] = useState(0);
  const { drafts: fileDrafts, files } = useFileDrafts(
    `/api/v1/workspaces/${me.workspace.id}/conversations/${conversationId}/attachments`,
  );
  const picker = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const uploading = fileDrafts.some((d) => d.status === 'uploading');
  const withFiles = fileDrafts.some((d) => d.status === 'ready');
  const canSend = !uploading && (body.trim() !== '' || withFiles);
  const active = Math.min(activeIndex, Math.max(0, matches.length - 1));

  const stopTyping = () => {
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = null;
    if (lastStart.current === 0) return;
    lastStart.current = 0;
    realtime.client.typing(conversationId, 'stop');
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: only on leaving the conversation
  useEffect(() => stopTyping, [conversationId]);

  const onChange = (value: string) => {
    setBody(value);
    setActive(0);
    drafts.set(conversationId, value);
    if (!value.trim()) return stopTyping();
    const now = Date.now();
    if (now - lastStart.current >= TYPING_THROTTLE_MS) {
      lastStart.current = now;
      realtime.client.typing(conversationId, 'start');
    }
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const send = () => {
    const text = body.trim();
    if (!canSend) return;
    stopTyping();
    conversations.send(conversationId, text, files?.ready ?? []);
    files?.sent();
    setBody('');
    drafts.delete(conversationId);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return;
    // While suggestions show, the keyboard works them: a half-typed "/tha" is never sent as such.
    if (matches.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : matches.length - 1;
        setActive((active + step) % matches.length);
        return;
      }
      if ((event.key === 'Enter' && !event.shiftKey) || (event.key === 'Tab' && !event.shiftKey)) {
        event.preventDefault();
        const chosen = matches[active];
        if (chosen) expand(chosen);
        return;
      }
    }
    if (event.key !== 'Enter' || event.shiftKey) return;
    event.preventDefault();
    send();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };

  return (
    <form
      className={dragging ? 'reply is-dragging' : 'reply'}
      onSubmit={onSubmit}
      // Files dropped on the reply box go with the next reply.
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        setDragging(false);
        if (!e.dataTransfer.files.length) return;
        e.preventDefault();
        files?.add([...e.dataTransfer.files]);
      }}
    >
      <FileChips
        drafts={fileDrafts}
        onRemove={(id) => files?.remove(id)}
        onRetry={(id) => files?.retry(id)}
      />
      <CannedSuggestions id={listId} matches={matches} active={active} onChoose={expand} />
      <label className="visually-hidden" htmlFor={`${hintId}-input`}>
        Reply
      </label>
      <textarea
        id={`${hintId}-input`}
        className="reply-input"
        data-testid="reply"
        rows={2}
        maxLength={LIMITS.maxMessageChars}
        placeholder="Write a reply…"
        aria-describedby={hintId}
        // A multi-line field stays a textbox (ARIA allows no combobox role on <textarea>); it still
        // names the suggestion list and the highlighted suggestion.
        aria-autocomplete="list"
        {...(matches.length > 0
          ? { 'aria-controls': listId, 'aria-activedescendant': cannedOptionId(listId, active) }
          : {})}
        value={body}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={stopTyping}
        onPaste={(e) => {
          // A pasted screenshot arrives as a file; pasted text stays text.
          const pasted = [...e.clipboardData.files];
          if (!pasted.length) return;
          e.preventDefault();
          files?.add(pasted);
        }}
      />
      <KnowledgeInsert onInsert={(text) => onChange(body.trim() ? `${body.trimEnd()}\n\n${text}` : text)} />
      <div className="reply-footer">
        <span className="reply-hint" id={hintId}>
          <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line · <kbd>/</kbd> for
          canned responses
        </span>
        {body.length >= COUNTER_FROM && (
          <span className="reply-counter" aria-live="polite">
            {body.length} / {LIMITS.maxMessageChars}
          </span>
        )}
        <input
          ref={picker}
          type="file"
          multiple
          accept={ACCEPT}
          className="visually-hidden"
          data-testid="file-input"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => {
            files?.add([...(e.target.files ?? [])]);
            // The same file may be chosen again after it was removed.
            e.target.value = '';
          }}
        />
        <button type="button" className="button" data-testid="attach" onClick={() => picker.current?.click()}>
          Attach files
        </button>
        <button type="submit" className="button button-primary" data-testid="reply-send" disabled={!canSend}>
          Send
        </button>
      </div>
    </form>
  );
}
