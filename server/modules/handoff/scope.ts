import { type Expression, type SqlBool, sql } from 'kysely';
import { can } from '../../../protocol/permissions.js';
import type { Executor } from '../../platform/db/schema.js';
import type { Agent } from '../auth/agent.js';
import { findTeamIdsOf } from './agent.repository.js';
import { findScopeFacts, hasConversationInScope } from './scope.repository.js';
import type { Scope, ScopeFacts } from './scope-facts.js';

/**
 * The one confinement policy: which conversations a principal may read, write, subscribe to and
 * hear about. Every list (SQL: `scopeWhere`), every read and write of one conversation, every socket
 * subscription and every broadcast (in memory: `inScope`) uses it, so they cannot disagree.
 *
 * - Roles that supervise the queue (`queries.manage`) and API tokens see the whole workspace.
 * - Operators are confined to their own work: a conversation whose current query is assigned to
 *   them (whatever its state), or queued for everyone or for one of their teams. A transfer or a
 *   reassignment takes it out of their scope at once.
 * - A visitor sees their own conversations.
 * Outside the scope a conversation answers as if it did not exist.
 */
export type { Scope, ScopeFacts } from './scope-facts.js';

export function isConfined(agent: Pick<Agent, 'role'>): boolean {
  return !can(agent.role, 'queries.manage');
}

export async function scopeOfAgent(db: Executor, agent: Agent): Promise<Scope> {
  if (!isConfined(agent)) return { kind: 'workspace', workspaceId: agent.workspaceId };
  return {
    kind: 'confined',
    workspaceId: agent.workspaceId,
    userId: agent.userId,
    teamIds: await findTeamIdsOf(db, agent.userId),
  };
}

/** A request's scope: an agent's, or the whole workspace for an API token. */
export async function scopeOfRequest(
  db: Executor,
  request: { agent: Agent | null },
  workspaceId: string,
): Promise<Scope> {
  return request.agent ? scopeOfAgent(db, request.agent) : { kind: 'workspace', workspaceId };
}

export function inScope(facts: ScopeFacts, scope: Scope): boolean {
  if (facts.workspaceId !== scope.workspaceId) return false;
  if (scope.kind === 'workspace') return true;
  if (scope.kind === 'visitor') return facts.visitorId !== null && facts.visitorId === scope.visitorId;
  if (facts.queryState === null) return false;
  if (facts.assigneeId === scope.userId) return true;
  return facts.queryState === 'queued' && (facts.teamId === null || scope.teamIds.includes(facts.teamId));
}

/** Column names a query uses for the facts (a conversation joined with its query, or a query). */
export interface ScopeColumns {
  workspace: string;
  visitor: string | null;
  queryState: string;
  assignee: string;
  team: string;
}

export const CONVERSATION_SCOPE_COLUMNS: ScopeColumns = {
  workspace: 'conversations.workspace_id',
  visitor: 'conversations.visitor_id',
  queryState: 'queries.state',
  assignee: 'queries.assignee_id',
  team: 'queries.team_id',
};

/** `inScope` as SQL, for lists: the same rule, evaluated by the database. */
export function scopeWhere(
  scope: Scope,
  columns: ScopeColumns = CONVERSATION_SCOPE_COLUMNS,
): Expression<SqlBool> {
  const ref = (c: string) => sql.ref(c);
  const workspace = sql<SqlBool>`${ref(columns.workspace)} = ${scope.workspaceId}`;
  if (scope.kind === 'workspace') return workspace;
  if (scope.kind === 'visitor') {
    if (!columns.visitor) return sql<SqlBool>`1 = 0`;
    return sql<SqlBool>`(${workspace} and ${ref(columns.visitor)} = ${scope.visitorId})`;
  }
  const teams =
    scope.teamIds.length > 0
      ? sql<SqlBool>`(${ref(columns.team)} is null or ${ref(columns.team)} in (${sql.join(scope.teamIds)}))`
      : sql<SqlBool>`${ref(columns.team)} is null`;
  return sql<SqlBool>`(${workspace} and (${ref(columns.assignee)} = ${scope.userId} or (${ref(columns.queryState)} = 'queued' and ${teams})))`;
}

/** Whether the scope reaches this conversation (one read); false when it does not exist. */
export async function mayAccessConversation(
  db: Executor,
  scope: Scope,
  conversationId: string,
): Promise<boolean> {
  const facts = (await findScopeFacts(db, [conversationId])).get(conversationId);
  return facts !== undefined && inScope(facts, scope);
}

/** Whether the scope reaches any of this visitor's conversations (a visitor's profile and context). */
export async function mayAccessVisitor(db: Executor, scope: Scope, visitorId: string): Promise<boolean> {
  if (scope.kind === 'workspace') return true;
  if (scope.kind === 'visitor') return scope.visitorId === visitorId;
  return hasConversationInScope(db, scopeWhere(scope), scope.workspaceId, visitorId);
}

export { findScopeFacts } from './scope.repository.js';
