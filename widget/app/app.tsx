/** @jsxImportSource preact */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Chat, type ChatState, initialState } from './chat.js';
import { Composer } from './composer.js';
import { type HostHello, isEmbedded, onPageChange, onShownChange, postToHost } from './host.js';
import { MessageList } from './message-list.js';

const close = (): void => postToHost({ parley: 'close' });

export function App({ widgetId, host }: { widgetId: string; host: Promise<HostHello> }) {
  const [state, setState] = useState<ChatState>(initialState);
  const [chat, setChat] = useState<Chat | null>(null);
  const composer = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (!isEmbedded()) return;
    void host.then((hello) => {
      const c = new Chat(widgetId, hello.origin, setState, hello.identity, hello.page);
      onPageChange((page) => c.setPage(page));
      onShownChange((shown) => c.setShown(shown));
      document.addEventListener('visibilitychange', () => c.visibilityChanged());
      setChat(c);
      void c.start();
      // The loader focuses the frame right after this handshake; the focus then lands here.
      composer.current?.focus();
    });
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') close();
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
  }, [widgetId, host]);

  const title = state.botName || 'Chat';
  return (
    <main class="pw">
      <header class="pw-header" data-testid="chat-header">
        {/* The initial is drawn by CSS (attr()), so the header's text is just the bot's name. */}
        <span class="pw-avatar" aria-hidden="true" data-initial={title.charAt(0).toUpperCase()} />
        <h1 class="pw-title">{title}</h1>
        <button type="button" class="pw-icon-button" aria-label="Close chat" onClick={close}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
        </button>
      </header>
      <Status state={state} embedded={isEmbedded()} onRetry={() => void chat?.start()} />
      <MessageList
        state={state}
        onRetry={(id) => chat?.retry(id)}
        onChoose={(m, a) => chat?.choose(m, a)}
        onRate={(score, comment) =>
          chat ? chat.rate(score, comment) : Promise.reject(new Error('not ready'))
        }
      />
      {state.closed ? (
        <div class="pw-ended">
          <p>This conversation has ended.</p>
          <button type="button" class="pw-button" onClick={() => void chat?.newConversation()}>
            Start a new conversation
          </button>
        </div>
      ) : (
        <Composer chat={chat} ready={state.phase === 'ready'} textarea={composer} />
      )}
    </main>
  );
}

function Status({ state, embedded, onRetry }: { state: ChatState; embedded: boolean; onRetry: () => void }) {
  let text = '';
  if (!embedded) text = 'This chat opens from the website it belongs to.';
  else if (state.phase === 'failed') text = state.error ?? 'Something went wrong.';
  else if (state.phase === 'starting' || state.connection !== 'open') {
    text = state.wasOpen ? 'Reconnecting…' : 'Connecting…';
  }
  return (
    <div class="pw-status" role="status" data-testid="connection-status">
      {text || null}
      {embedded && state.phase === 'failed' && (
        <button type="button" class="pw-link" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
