import type { CallEndReason, CallRole, CallServerFrame, CallSignal } from '../../../protocol/calls.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { conversationChannel } from '../conversations/events.js';

/** A call's room: the sockets seated in it hear each other's signals and its end, on every node. */
export const callChannel = (callId: string) => `parley:call:${callId}`;
export const isCallChannel = (channel: string) => channel.startsWith('parley:call:');

export type CallEvent =
  | { kind: 'joined'; callId: string; role: CallRole }
  | { kind: 'signal'; callId: string; role: CallRole; signal: CallSignal }
  | {
      kind: 'ended';
      callId: string;
      conversationId: string;
      reason: CallEndReason;
      durationSeconds: number;
      /** The socket that ended it (answered directly), if one did. */
      from: string | null;
    };

/**
 * What a conversation's visitor sockets hear of a call before (or besides) being in its room: that
 * it rings, and that it stopped. Sent on the conversation's channel, to visitor sockets only.
 */
export type ConversationCallEvent = {
  kind: 'call';
  conversationId: string;
  callId: string;
  from: string | null;
  frame: Extract<CallServerFrame, { type: 'call.offered' | 'call.ended' }>;
};

export async function publishCallEvent(pubsub: PubSub, event: CallEvent): Promise<void> {
  await pubsub.publish(callChannel(event.callId), JSON.stringify(event));
}

export async function publishToVisitor(pubsub: PubSub, event: ConversationCallEvent): Promise<void> {
  await pubsub.publish(conversationChannel(event.conversationId), JSON.stringify(event));
}
