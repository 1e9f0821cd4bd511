import type { ApiTokenScope } from '../../../protocol/api-tokens.js';
import type { Permission } from '../../../protocol/permissions.js';

/**
 * Every route declares who may call it in `config.access`. A route without one is refused at
 * registration (see registerAccessControl) and fails the authorization matrix test.
 */
export type Access =
  | { kind: 'public' }
  /** The handler authenticates a visitor credential itself (Authorization: Bearer). */
  | { kind: 'visitor' }
  /** Any signed-in agent whose session is complete (stage 'full'). */
  | { kind: 'agent' }
  /**
   * Any signed-in agent, including a session that still owes its second factor or MFA enrollment:
   * only the routes that settle that (and sign-out, me) use it.
   */
  | { kind: 'signed-in' }
  /**
   * A member of the `:workspaceId` in the path whose role grants the permission; with `tokenScope`,
   * also an API token of that workspace holding that scope. Routes without one refuse API tokens.
   */
  | { kind: 'member'; permission: Permission; tokenScope?: ApiTokenScope }
  /** The WebSocket endpoint: authenticated at the handshake by the realtime module. */
  | { kind: 'socket' };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
