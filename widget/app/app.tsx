/** @jsxImportSource preact */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Ringing } from './call-session.js';
import { CallView } from './call-view.js';
import { Chat, type ChatState, initialState } from './chat.js';
import { Composer } from './composer.js';
import { type HostHello, isEmbedded, onPageChange, onShownChange, postToHost } from './host.js';
import { useTexts } from './i18n/context.js';
import type { Look } from './look.js';
import { MessageList } from './message-list.js';
import { TranscriptRequest } from './transcript-request.js';

const close = (): void => postToHost({ parley: 'close' });
type CallStart = Parameters<typeof CallView>[0]['start'];

export function App({ widgetId, host, look }: { widgetId: string; host: Promise<HostHello>; look?: Look }) {
  const [state, setState] = useState<ChatState>(initialState);
  const [chat, setChat] = useState<Chat | null>(null);
  const texts = useTexts();
  const { t } = texts;
  const composer = useRef<HTMLTextAreaElement>(null);
  const [dragging, setDragging] = useState(false);
  const [call, setCall] = useState<{ ringing: Ringing; start: CallStart } | null>(null);
  const canAttach = chat !== null && state.phase === 'ready';

  useEffect(() => {
    if (!isEmbedded()) return;
    void host.then((hello) => {
      const c = new Chat(widgetId, hello.origin, setState, hello.identity, hello.page, texts.lang);
      onPageChange((page) => c.setPage(page));
      onShownChange((shown) => c.setShown(shown));
      // Put back closed after a reload: what arrives counts as unread until the visitor opens it.
      c.setShown(hello.shown);
      document.addEventListener('visibilitychange', () => c.visibilityChanged());
      setChat(c);
      // A ringing call loads the call view's chunk; a widget nobody calls never downloads it.
      c.onCall((f) => {
        if (f.type !== 'call.offered') return;
        const ringing = { callId: f.callId, media: f.media, agentName: f.agent.name };
        const start: CallStart = (onChange) =>
          import('./call-session.js').then((m) => new m.VisitorCall(c, ringing, onChange));
        setCall({ ringing, start });
      });
      void c.start();
      // The loader focuses the frame right after this handshake; the focus then lands here. A chat
      // put back by a reload is not focused by the loader, and does not take the focus itself.
      if (!hello.quiet) composer.current?.focus();
    });
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !e.defaultPrevented) close();
    };
    // The loader focuses the frame when it opens it: hand that focus to the composer.
    const onFocus = (): void => {
      if (document.activeElement === document.body) composer.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    window.addEventListener('focus', onFocus);
    return () => {
      document.removeEventListener('keydown', onKey);
      window.removeEventListener('focus', onFocus);
    };
  }, [widgetId, host, texts.lang]);

  const person = speakingPerson(state);
  const title = person ?? (state.botName || t('chat'));
  return (
    <main
      class={dragging ? 'pw pw-dragging' : 'pw'}
      lang={texts.lang}
      dir={texts.dir}
      // Files dropped anywhere on the chat are attached to the next message.
      onDragOver={(e) => {
        if (!canAttach || !e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        setDragging(false);
        if (!canAttach || !e.dataTransfer?.files.length) return;
        e.preventDefault();
        void chat.attach([...e.dataTransfer.files]);
      }}
    >
      {dragging && (
        <div class="pw-dropzone" aria-hidden="true">
          {t('dropFiles')}
        </div>
      )}
      <header class="pw-header" data-testid="chat-header">
        {/* The bot's picture (decorative: its name is the heading) or an initial, drawn by CSS (attr()). */}
        {!person && look?.avatarUrl ? (
          <img
            class="pw-avatar"
            src={look.avatarUrl}
            alt=""
            width={36}
            height={36}
            data-testid="chat-avatar"
          />
        ) : (
          <span class="pw-avatar" aria-hidden="true" data-initial={title.charAt(0).toUpperCase()} />
        )}
        <div class="pw-heading">
          <h1 class="pw-title" data-testid="chat-title">
            {title}
          </h1>
          {person && <p class="pw-subtitle">{t('supportTeam')}</p>}
        </div>
        <button type="button" class="pw-icon-button" aria-label={t('closeChat')} onClick={close}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
        </button>
      </header>
      <Status state={state} embedded={isEmbedded()} onRetry={() => void chat?.start()} />
      {call && (
        <CallView
          key={call.ringing.callId}
          ringing={call.ringing}
          start={call.start}
          onDone={() => setCall(null)}
        />
      )}
      <MessageList
        state={state}
        onRetry={(id) => chat?.retry(id)}
        onChoose={(m, a) => chat?.choose(m, a)}
        fileUrl={(c, a) => chat?.fileUrl(c, a) ?? ''}
        onRate={(score, comment) =>
          chat ? chat.rate(score, comment) : Promise.reject(new Error('not ready'))
        }
      />
      <Ended state={state} />
      <TranscriptRequest request={chat && state.phase === 'ready' ? () => chat.emailTranscript() : null} />
      <Composer
        chat={chat}
        ready={state.phase === 'ready'}
        starting={state.phase === 'starting'}
        drafts={state.drafts}
        textarea={composer}
        prechat={state.prechat}
      />
      {look?.poweredBy && (
        <p class="pw-powered" data-testid="powered-by">
          {t('poweredBy')}
        </p>
      )}
    </main>
  );
}

function Status({ state, embedded, onRetry }: { state: ChatState; embedded: boolean; onRetry: () => void }) {
  const { t, error } = useTexts();
  let text = '';
  if (!embedded) text = t('notEmbedded');
  else if (state.phase === 'failed') text = error(state.errorCode ?? undefined, state.error ?? undefined);
  else if (state.phase === 'starting' || state.connection !== 'open') {
    text = state.wasOpen ? t('reconnecting') : t('connecting');
  }
  return (
    <div class="pw-status" role="status" data-testid="connection-status">
      {text || null}
      {embedded && state.phase === 'failed' && (
        <button type="button" class="pw-link" onClick={onRetry}>
          {t('tryAgain')}
        </button>
      )}
    </div>
  );
}

/**
 * Who answers now: once a person took over, the last one who wrote (bug: the header kept the bot's
 * name). After a resolution or a close the bot answers again.
 */
function speakingPerson(state: ChatState): string | null {
  if (state.status === 'resolved' || state.status === 'closed') return null;
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const m = state.messages[i];
    if (m?.author.kind === 'agent') return m.author.name;
    if (m?.author.kind === 'bot' && m.parts?.some((p) => p.type === 'rating')) return null;
  }
  return null;
}

/** What happens next when the team resolved or closed the conversation. */
function Ended({ state }: { state: ChatState }) {
  const { t } = useTexts();
  if (state.status !== 'resolved' && !state.closed) return null;
  return (
    <div
      class="pw-ended"
      role="status"
      data-testid="conversation-ended"
      data-status={state.closed ? 'closed' : 'resolved'}
    >
      {state.closed ? (
        <p>
          <strong>{t('closedTitle')}</strong> {t('closedHint')}
        </p>
      ) : (
        <p>
          <strong>{t('resolvedTitle')}</strong> {t('resolvedHint')}
        </p>
      )}
    </div>
  );
}
