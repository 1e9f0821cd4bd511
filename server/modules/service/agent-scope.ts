import type { Executor } from '../../platform/db/schema.js';
import type { Agent } from '../auth/agent.js';
import { can } from '../auth/permissions.js';
import type { AgentConfinement } from '../conversations/conversation.repository.js';
import type { InboxScope } from '../conversations/events.js';
import { findTeamIdsOf } from './agent.repository.js';

/**
 * Operators are confined to their own work: a conversation whose current query is assigned to them,
 * or waiting in the queue for everyone or one of their teams. Roles that supervise the queue
 * (`queries.manage`) see the whole workspace. Anything else answers as if it did not exist.
 */
export function isConfined(agent: Pick<Agent, 'role'>): boolean {
  return !can(agent.role, 'queries.manage');
}

export async function confinementOf(db: Executor, agent: Agent): Promise<AgentConfinement | undefined> {
  if (!isConfined(agent)) return undefined;
  return { userId: agent.userId, teamIds: await findTeamIdsOf(db, agent.userId) };
}

export async function agentMaySee(db: Executor, agent: Agent, conversationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('conversations')
    .leftJoin('queries', 'queries.id', 'conversations.query_id')
    .select([
      'conversations.workspace_id as workspace_id',
      'queries.state as state',
      'queries.assignee_id as assignee_id',
      'queries.team_id as team_id',
    ])
    .where('conversations.id', '=', conversationId)
    .executeTakeFirst();
  if (!row || row.workspace_id !== agent.workspaceId) return false;
  if (!isConfined(agent)) return true;
  if (!row.state) return false;
  if (row.assignee_id === agent.userId && row.state !== 'queued') return true;
  if (row.state !== 'queued') return false;
  if (row.team_id === null) return true;
  return (await findTeamIdsOf(db, agent.userId)).includes(row.team_id);
}

/**
 * Whether a confined agent may see this visitor: one of the visitor's conversations is theirs to
 * see (assigned to them, or queued for them). Agents who supervise the queue see every visitor.
 */
export async function agentMaySeeVisitor(db: Executor, agent: Agent, visitorId: string): Promise<boolean> {
  if (!isConfined(agent)) return true;
  const rows = await db
    .selectFrom('conversations')
    .select('id')
    .where('workspace_id', '=', agent.workspaceId)
    .where('visitor_id', '=', visitorId)
    .where('query_id', 'is not', null)
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  for (const row of rows) if (await agentMaySee(db, agent, row.id)) return true;
  return false;
}

/** Which inbox updates a socket receives; confined agents only those about their own work. */
export class InboxFilter {
  private constructor(
    private readonly userId: string | null,
    private readonly teamIds: ReadonlySet<string>,
  ) {}

  static everything(): InboxFilter {
    return new InboxFilter(null, new Set());
  }

  /** Teams are read when the inbox is subscribed; a team change reaches the socket on reconnect. */
  static async forAgent(db: Executor, agent: Agent): Promise<InboxFilter> {
    const confinement = await confinementOf(db, agent);
    return confinement
      ? new InboxFilter(agent.userId, new Set(confinement.teamIds))
      : InboxFilter.everything();
  }

  sees(scope: InboxScope): boolean {
    if (this.userId === null) return true;
    if (scope.assigneeId === this.userId || scope.formerAssigneeId === this.userId) return true;
    return scope.queued && (scope.teamId === null || this.teamIds.has(scope.teamId));
  }
}
