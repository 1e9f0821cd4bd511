import type { Expression, SqlBool } from 'kysely';
import type { Executor } from '../../platform/db/schema.js';
import type { ScopeFacts } from './scope-facts.js';

/** The facts the confinement policy needs, for these conversations (absent ones are left out). */
export async function findScopeFacts(db: Executor, ids: readonly string[]): Promise<Map<string, ScopeFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('conversations')
    .leftJoin('queries', 'queries.id', 'conversations.query_id')
    .select([
      'conversations.id as id',
      'conversations.workspace_id as workspace_id',
      'conversations.visitor_id as visitor_id',
      'queries.state as state',
      'queries.assignee_id as assignee_id',
      'queries.team_id as team_id',
    ])
    .where('conversations.id', 'in', ids)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        workspaceId: r.workspace_id,
        visitorId: r.visitor_id,
        queryState: r.state ?? null,
        assigneeId: r.assignee_id ?? null,
        teamId: r.team_id ?? null,
      },
    ]),
  );
}

export async function hasConversationInScope(
  db: Executor,
  where: Expression<SqlBool>,
  workspaceId: string,
  visitorId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('conversations')
    .leftJoin('queries', 'queries.id', 'conversations.query_id')
    .select('conversations.id')
    .where('conversations.workspace_id', '=', workspaceId)
    .where('conversations.visitor_id', '=', visitorId)
    .where(where)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
