import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import type { MessageDeps } from '../conversations/post-message.js';
import type { Vault } from '../encryption/vault.js';
import type { CallHost } from './call-seats.js';
import type { MessageBudget } from './message-budget.js';

/** A socket's member of a channel: what the host hands it and what it asks of it. */
export interface ChannelMember {
  readonly id: string;
}

/**
 * What a connection needs from the node that holds it (hub.ts implements it): channels, session
 * activity, and what the message command needs. Kept apart so connections and the hub do not import
 * each other.
 */
export interface SocketHost<C extends ChannelMember = ChannelMember> extends CallHost<C> {
  readonly db: Db;
  readonly vault: Vault;
  readonly pubsub: PubSub;
  readonly messages: MessageDeps;
  readonly heartbeatIntervalMs: number;
  /** Messages per principal across all its sockets on the node. */
  readonly messageBudget: MessageBudget;
  join(channel: string, conn: C): Promise<void>;
  leave(channel: string, conn: C): void;
  forget(conn: C): void;
  touch(conn: C): void;
}
