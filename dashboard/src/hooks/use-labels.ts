import { useEffect, useState } from 'react';
import type { Label } from '../../../protocol/labels.js';
import { labelsApi } from '../labels-api.js';
import type { Realtime } from '../lib/realtime.js';
import { useSession } from '../lib/session-context.js';

/** Bumped after any label change on this page, so every list of labels reads again. */
let generation = 0;
const listeners = new Set<() => void>();
export function labelsChanged(): void {
  generation += 1;
  for (const l of listeners) l();
}

function useGeneration(): number {
  const [g, setG] = useState(generation);
  useEffect(() => {
    const l = () => setG(generation);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  return g;
}

/**
 * Each realtime connection tells this module once when the workspace's labels changed, and each time
 * its inbox subscription takes hold (at the start and after a drop): label changes made before it
 * were not delivered, so everything reads again.
 */
const wired = new WeakSet<Realtime>();
function readAgainOnChange(realtime: Realtime): void {
  if (wired.has(realtime)) return;
  wired.add(realtime);
  realtime.onFrame((f) => {
    if (f.type === 'labels.changed') labelsChanged();
  });
  realtime.onInboxSubscribed(labelsChanged);
}

/** Label ids seen live that the loaded list did not have: each asks for the list again once. */
const asked = new Set<string>();

/**
 * The workspace's labels (empty until loaded). A label another agent puts on a conversation that this
 * page has never heard of (an administrator created it since) makes the list read again, so its chip shows.
 */
export function useLabels(): Label[] {
  const { me, realtime } = useSession();
  const g = useGeneration();
  const [labels, setLabels] = useState<Label[]>([]);
  // Created, renamed, recoloured or deleted by an administrator: every list reads again (a deleted
  // label's chips go too, as the conversations' labels are read again with it).
  useEffect(() => readAgainOnChange(realtime), [realtime]);
  useEffect(
    () =>
      realtime.onFrame((f) => {
        if (f.type !== 'conversation.labels') return;
        const unknown = f.labelIds.filter((id) => !asked.has(id) && !labels.some((l) => l.id === id));
        if (unknown.length === 0) return;
        for (const id of unknown) asked.add(id);
        labelsChanged();
      }),
    [realtime, labels],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: `g` says when to read again
  useEffect(() => {
    let live = true;
    labelsApi.list(me.workspace.id).then(
      (r) => live && setLabels(r.items),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [me.workspace.id, g]);
  return labels;
}

/**
 * Which labels each of these conversations carries (those the agent may see), kept live: another
 * agent's change arrives as `conversation.labels` and replaces that conversation's set at once.
 */
export function useConversationLabels(ids: string[]): Record<string, string[]> {
  const { me, realtime } = useSession();
  const g = useGeneration();
  const key = ids.slice(0, 100).join(',');
  const [map, setMap] = useState<Record<string, string[]>>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` and `g` say when to read again
  useEffect(() => {
    if (!key) return;
    let live = true;
    labelsApi.ofConversations(me.workspace.id, key.split(',')).then(
      (r) => live && setMap(Object.fromEntries(r.items.map((i) => [i.conversationId, i.labelIds]))),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [me.workspace.id, key, g]);
  useEffect(() => {
    const wanted = new Set(key.split(','));
    const off = realtime.onFrame((f) => {
      if (f.type !== 'conversation.labels' || !wanted.has(f.conversationId)) return;
      setMap((m) => ({ ...m, [f.conversationId]: f.labelIds }));
    });
    return () => {
      off();
    };
  }, [realtime, key]);
  return map;
}
