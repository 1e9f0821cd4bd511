import { useCallback, useSyncExternalStore } from 'react';
import type { Message } from '../../../protocol/common.js';
import { useSession } from '../lib/session-context.js';

/** Under the agents' last reply: whether the visitor's device has it, and whether they saw it. */
export function VisitorReadReceipt({
  conversationId,
  messages,
}: {
  conversationId: string;
  messages: Message[];
}) {
  const { seen } = useSession();
  const subscribe = useCallback((cb: () => void) => seen.listen(cb), [seen]);
  const cursor = useSyncExternalStore(subscribe, () => seen.visitorRead(conversationId));
  const lastReply = [...messages].reverse().find((m) => m.author.kind === 'agent');
  if (!lastReply || !cursor) return null;
  const state =
    cursor.readSeq >= lastReply.seq ? 'Seen' : cursor.deliveredSeq >= lastReply.seq ? 'Delivered' : null;
  if (!state) return null;
  return (
    <p className="read-receipt" data-testid="visitor-read-receipt">
      {state === 'Seen' ? 'Seen by the visitor' : 'Delivered to the visitor'}
    </p>
  );
}
