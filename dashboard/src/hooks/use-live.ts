import { useCallback, useSyncExternalStore } from 'react';
import type { ConversationSnapshot } from '../lib/conversation-store.js';
import type { InboxSnapshot } from '../lib/inbox-store.js';
import type { LiveState } from '../lib/realtime.js';
import { useSession } from '../lib/session-context.js';

export function useConnection(): LiveState {
  const { realtime } = useSession();
  const subscribe = useCallback((cb: () => void) => realtime.onStateChange(cb), [realtime]);
  return useSyncExternalStore(subscribe, () => realtime.state);
}

export function useInbox(): InboxSnapshot {
  const { inbox } = useSession();
  const subscribe = useCallback((cb: () => void) => inbox.listen(cb), [inbox]);
  return useSyncExternalStore(subscribe, () => inbox.snapshot);
}

export function useSeen(): Readonly<Record<string, number>> {
  const { seen } = useSession();
  const subscribe = useCallback((cb: () => void) => seen.listen(cb), [seen]);
  return useSyncExternalStore(subscribe, () => seen.snapshot);
}

export function useConversation(id: string): ConversationSnapshot {
  const { conversations } = useSession();
  const subscribe = useCallback((cb: () => void) => conversations.listen(id, cb), [conversations, id]);
  return useSyncExternalStore(subscribe, () => conversations.get(id));
}
