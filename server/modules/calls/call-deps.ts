import type { FastifyBaseLogger } from 'fastify';
import type { IceServer } from '../../../protocol/calls.js';
import type { MessageDeps } from '../conversations/post-message.js';

/** What the call commands need: the message command's dependencies, a logger, and the ICE servers. */
export interface CallDeps extends MessageDeps {
  log: FastifyBaseLogger;
  /** STUN/TURN servers for one principal, TURN credentials freshly made (ice-servers.ts). */
  iceServers: (principalId: string) => IceServer[];
}

/** Who acts on a call: an agent (by user id) or a visitor (by visitor id), from one socket. */
export interface CallParty {
  role: 'agent' | 'visitor';
  id: string;
  workspaceId: string;
  connectionId: string;
}
