import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { Me } from '../../../protocol/api.js';
import { ApiError, api, errorMessage } from '../api.js';
import { redirectToLogin } from '../lib/auth-redirect.js';
import { ConversationStore } from '../lib/conversation-store.js';
import { InboxStore } from '../lib/inbox-store.js';
import { Realtime } from '../lib/realtime.js';
import { navigate } from '../lib/router.js';
import { SeenStore } from '../lib/seen-store.js';
import { type Session, SessionContext } from '../lib/session-context.js';
import { routeForStage } from '../lib/sign-in-stage.js';
import { bindLifecycleWorkspace } from '../lifecycle-api.js';
import { receiptsApi } from '../receipts-api.js';
import { FullPageMessage } from './full-page-message.js';

type Live = Pick<Session, 'realtime' | 'inbox' | 'conversations' | 'seen'>;

/**
 * Loads who is signed in (401 → the API helper sends the browser to /login), then opens the one
 * realtime connection of the app and the stores built on it. Everything is torn down on sign-out.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the "Try again" trigger
  useEffect(() => {
    let cancelled = false;
    setLoadError(null);
    api.me().then(
      (value) => {
        if (cancelled) return;
        // A session still owing its second factor or MFA setup sees only the screen for that.
        if (value.stage !== 'full') routeForStage(value.stage, window.location.pathname);
        else setMe(value);
      },
      (e: unknown) => {
        if (cancelled || (e instanceof ApiError && e.status === 401)) return;
        setLoadError(errorMessage(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  if (loadError) {
    return (
      <FullPageMessage title="Parley could not load your workspace" tone="error">
        <p>{loadError}</p>
        <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
          Try again
        </button>
      </FullPageMessage>
    );
  }
  if (!me) return <FullPageMessage title="Loading your workspace…" busy />;
  return <LiveSession me={me}>{children}</LiveSession>;
}

function LiveSession({ me, children }: { me: Me; children: ReactNode }) {
  const [live, setLive] = useState<Live | null>(null);
  const signingOut = useRef(false);
  // A step-up replaces the session: the old one's socket closes, and a new one opens (epoch + 1).
  const renewing = useRef(false);
  const [epoch, setEpoch] = useState(0);
  const wid = me.workspace.id;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `epoch` reconnects with the renewed session
  useEffect(() => {
    renewing.current = false;
    let replaced = false;
    const realtime = new Realtime({
      checkSession: () => api.me(),
      onSessionEnded: () => {
        if (!signingOut.current && !renewing.current && !replaced)
          redirectToLogin('Your session has ended. Sign in again.');
      },
    });
    const inbox = new InboxStore(realtime, (status, before) =>
      api.listConversations(wid, { status, before, limit: 50 }).then((r) => r.items),
    );
    bindLifecycleWorkspace(wid);
    const conversations = new ConversationStore(realtime, (id, afterSeq) =>
      api.listMessages(wid, id, { afterSeq, limit: 200 }).then((r) => r.items),
    );
    const seen = new SeenStore(realtime, me.user.id, () => receiptsApi.readState(wid));
    realtime.start();
    setLive({ realtime, inbox, conversations, seen });
    return () => {
      replaced = true;
      realtime.stop();
    };
  }, [wid, me.user.id, epoch]);

  const session = useMemo<Session | null>(() => {
    if (!live) return null;
    const signOut = async () => {
      signingOut.current = true;
      try {
        await api.logout();
      } catch (e) {
        signingOut.current = false;
        throw e;
      }
      live.realtime.stop();
      navigate('/login', { replace: true });
    };
    const renew = async <T,>(run: () => Promise<T>): Promise<T> => {
      renewing.current = true;
      try {
        const result = await run();
        setEpoch((n) => n + 1);
        return result;
      } catch (e) {
        renewing.current = false;
        throw e;
      }
    };
    return { me, isAdmin: me.role === 'administrator', ...live, signOut, renew };
  }, [me, live]);

  if (!session) return <FullPageMessage title="Loading your workspace…" busy />;
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
