import type { Role } from '../../../protocol/common.js';
import type { Presence, ServiceAgent } from '../../../protocol/service.js';
import { clock } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import { listServiceAgents, listTeamMemberships } from './agent.repository.js';
import { defaultCapacity } from './service-defaults.js';

export interface AgentState extends ServiceAgent {
  lastAssignedAt: string | null;
}

/** Every agent of the workspace with presence (across nodes), capacity, held queries and teams. */
export async function listAgents(options: {
  db: Executor;
  workspaceId: string;
  presenceTtlMs: number;
}): Promise<AgentState[]> {
  const since = new Date(clock.now() - options.presenceTtlMs).toISOString();
  const [rows, teams] = await Promise.all([
    listServiceAgents(options.db, options.workspaceId, since),
    listTeamMemberships(options.db, options.workspaceId),
  ]);
  return rows.map((r) => {
    const connected = Boolean(Number(r.connected));
    const presence: Presence = !connected ? 'offline' : Number(r.away) === 1 ? 'away' : 'online';
    return {
      id: r.id,
      name: r.name,
      role: r.role,
      presence,
      capacity: r.capacity ?? defaultCapacity(r.role as Role),
      active: Number(r.held ?? 0),
      teamIds: teams.filter((t) => t.user_id === r.id).map((t) => t.team_id),
      lastAssignedAt: r.last_assigned_at ?? null,
    };
  });
}
