import type { Role } from '../../../protocol/common.js';
import type { SessionStage } from '../../platform/db/schema.js';

/** The signed-in operator, supervisor or administrator behind a request or socket. */
export interface Agent {
  userId: string;
  sessionId: string;
  workspaceId: string;
  role: Role;
  name: string;
  email: string;
  /** Only 'full' sessions reach anything but the second-factor and enrollment routes. */
  stage: SessionStage;
}
