import { createContext, useContext } from 'react';
import type { Me } from '../../../protocol/api.js';
import type { ConversationStore } from './conversation-store.js';
import type { InboxStore } from './inbox-store.js';
import type { Realtime } from './realtime.js';
import type { SeenStore } from './seen-store.js';

/** Everything a signed-in screen may need: who is signed in and the live data of the workspace. */
export interface Session {
  me: Me;
  isAdmin: boolean;
  realtime: Realtime;
  inbox: InboxStore;
  conversations: ConversationStore;
  seen: SeenStore;
  signOut: () => Promise<void>;
  /** Runs a step-up that replaces the session (new id), reconnecting the realtime link afterwards. */
  renew: <T>(run: () => Promise<T>) => Promise<T>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in screen');
  return session;
}
