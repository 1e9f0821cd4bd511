import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { ConversationCounts, TimelineEvent } from '../../../protocol/lifecycle.js';
import { CountsStore } from '../lib/counts-store.js';
import type { Realtime } from '../lib/realtime.js';
import { useSession } from '../lib/session-context.js';
import { lifecycleApi } from '../lifecycle-api.js';
import { serviceApi } from '../service-api.js';

/** One counts store per realtime connection (a new session gets a new one). */
const stores = new WeakMap<Realtime, CountsStore>();

export function countsStoreOf(realtime: Realtime, wid: string): CountsStore {
  let store = stores.get(realtime);
  if (!store) {
    store = new CountsStore(realtime, () => lifecycleApi.counts(wid));
    stores.set(realtime, store);
  }
  return store;
}

/** The inbox tabs' counts, live. */
export function useCounts(): { counts: ConversationCounts; loaded: boolean; refresh: () => void } {
  const { realtime, me } = useSession();
  const store = countsStoreOf(realtime, me.workspace.id);
  const subscribe = useCallback((cb: () => void) => store.listen(cb), [store]);
  const counts = useSyncExternalStore(subscribe, () => store.snapshot);
  return { counts, loaded: store.loaded, refresh: () => store.refresh() };
}

/**
 * The transcript's system events of one conversation, read again whenever its status or its
 * handoff changes (live frames), so a transfer, a resolution or a rating shows without a reload.
 */
export function useTimeline(conversationId: string): TimelineEvent[] {
  const { realtime, me } = useSession();
  const [events, setEvents] = useState<TimelineEvent[]>([]);
  const [version, setVersion] = useState(0);
  useEffect(
    () =>
      realtime.onFrame((f) => {
        if (
          (f.type === 'conversation.status' && f.conversationId === conversationId) ||
          (f.type === 'conversation.updated' && f.conversation.id === conversationId) ||
          (f.type === 'message.new' && f.message.conversationId === conversationId && f.message.parts?.length)
        )
          setVersion((n) => n + 1);
      }),
    [realtime, conversationId],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the "read again" trigger
  useEffect(() => {
    let cancelled = false;
    lifecycleApi.events(me.workspace.id, conversationId).then(
      (r) => !cancelled && setEvents(r.items),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [me.workspace.id, conversationId, version]);
  return events;
}

/** Agents' names and resolution codes' labels, to word the transcript's events (read once). */
export function useAgentNames(wanted: boolean): {
  agents: ReadonlyMap<string, string>;
  codes: ReadonlyMap<string, string>;
} {
  const { me } = useSession();
  const [maps, setMaps] = useState({ agents: new Map<string, string>(), codes: new Map<string, string>() });
  useEffect(() => {
    if (!wanted) return;
    let cancelled = false;
    void Promise.all([serviceApi.agents(me.workspace.id), serviceApi.codes(me.workspace.id)]).then(
      ([a, c]) =>
        !cancelled &&
        setMaps({
          agents: new Map(a.items.map((x) => [x.id, x.name])),
          codes: new Map(c.items.map((x) => [x.code, x.label])),
        }),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [wanted, me.workspace.id]);
  return maps;
}
