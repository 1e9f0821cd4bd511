import type { Role } from '../../../protocol/common.js';
import { clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { isWithinBusinessHours } from '../bot/widget-hours.js';
import { assignQuery } from './assign-query.js';
import { listAgents } from './list-agents.js';
import { listQueuedQueries } from './query.repository.js';

/**
 * Round-robin: each queued query (oldest first) of a widget within its business hours goes to the online agent of its team (or anyone,
 * for a query without a team) who got a query longest ago and is below capacity. Any node may run
 * this at any time; assignQuery makes concurrent runs safe. Returns the ids it assigned.
 */
export async function assignWaitingQueries(options: {
  db: Db;
  workspaceId: string;
  presenceTtlMs: number;
}): Promise<Array<{ queryId: string; userId: string }>> {
  const { db, workspaceId } = options;
  const queued = await listQueuedQueries(db, workspaceId, 100);
  if (queued.length === 0) return [];
  const agents = (await listAgents({ db, workspaceId, presenceTtlMs: options.presenceTtlMs })).filter(
    (a) => a.presence === 'online' && a.active < a.capacity,
  );
  const done: Array<{ queryId: string; userId: string }> = [];
  // Outside the widget's business hours the visitor was told when the team answers: the query
  // waits in the queue until then (an online agent may still pick it by hand).
  const within = new Map<string, boolean>();
  const now = clock.now();
  for (const query of queued) {
    let open = within.get(query.widget_id);
    if (open === undefined) {
      open = await isWithinBusinessHours(db, query.widget_id, now);
      within.set(query.widget_id, open);
    }
    if (!open) continue;
    const candidates = agents
      .filter((a) => a.active < a.capacity && (query.team_id === null || a.teamIds.includes(query.team_id)))
      .sort(
        (x, y) => (x.lastAssignedAt ?? '').localeCompare(y.lastAssignedAt ?? '') || x.id.localeCompare(y.id),
      );
    for (const agent of candidates) {
      const outcome = await assignQuery({
        db,
        workspaceId,
        queryId: query.id,
        userId: agent.id,
        role: agent.role as Role,
        actorId: null,
        mode: 'auto',
        enforceCapacity: true,
      }).catch(() => 'taken' as const);
      if (outcome === 'at_capacity') {
        agent.active = agent.capacity;
        continue;
      }
      if (outcome === 'assigned') {
        agent.active += 1;
        agent.lastAssignedAt = new Date().toISOString();
        done.push({ queryId: query.id, userId: agent.id });
      }
      break;
    }
  }
  return done;
}
