import { useEffect, useState } from 'react';
import type { Conversation } from '../../../protocol/common.js';
import { ApiError, api, errorMessage } from '../api.js';
import { useSession } from '../lib/session-context.js';
import { useInbox } from './use-live.js';

export type ConversationMeta =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'error'; message: string }
  | { state: 'ready'; conversation: Conversation };

/** The conversation's header data: live from the inbox when it is there, fetched once otherwise (closed). */
export function useConversationMeta(id: string): ConversationMeta {
  const { me } = useSession();
  const { items } = useInbox();
  const live = items.find((c) => c.id === id);
  const [fetched, setFetched] = useState<ConversationMeta>({ state: 'loading' });

  const isLive = live !== undefined;
  // Out of the inbox tab shown (resolved, snoozed…), the header still follows status changes.
  const { realtime } = useSession();
  const [version, setVersion] = useState(0);
  useEffect(
    () =>
      realtime.onFrame((f) => {
        if (
          (f.type === 'conversation.status' && f.conversationId === id) ||
          (f.type === 'conversation.updated' && f.conversation.id === id)
        )
          setVersion((n) => n + 1);
      }),
    [realtime, id],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the "read again" trigger
  useEffect(() => {
    // Open conversations come live from the inbox; fetch only the others (and one that just left it).
    if (isLive) return;
    let cancelled = false;
    api.getConversation(me.workspace.id, id).then(
      (conversation) => !cancelled && setFetched({ state: 'ready', conversation }),
      (e: unknown) => {
        if (cancelled) return;
        const notFound = e instanceof ApiError && e.status === 404;
        setFetched(notFound ? { state: 'missing' } : { state: 'error', message: errorMessage(e) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [me.workspace.id, id, isLive, version]);

  if (live) return { state: 'ready', conversation: live };
  return fetched;
}
