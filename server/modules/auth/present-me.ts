import type { Me } from '../../../protocol/api.js';
import type { Executor } from '../../platform/db/schema.js';
import { findWorkspace } from '../workspaces/lookups.js';
import type { Agent } from './agent.js';

export async function presentMe(db: Executor, agent: Agent): Promise<Me> {
  const workspace = await findWorkspace(db, agent.workspaceId);
  return {
    user: { id: agent.userId, email: agent.email, name: agent.name },
    workspace: { id: agent.workspaceId, name: workspace?.name ?? '' },
    role: agent.role,
    stage: agent.stage,
  };
}
