import type { Role } from '../../../protocol/common.js';

/** The signed-in operator, supervisor or administrator behind a request or socket. */
export interface Agent {
  userId: string;
  sessionId: string;
  workspaceId: string;
  role: Role;
  name: string;
  email: string;
}
