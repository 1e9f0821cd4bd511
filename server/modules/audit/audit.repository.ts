import { sql } from 'kysely';
import type { AuditEventsTable, Executor } from '../../platform/db/schema.js';
import { GENESIS_HASH } from './audit-hash.js';

/**
 * Advances the workspace's chain head by one and returns the previous head. The UPDATE holds the
 * head row's lock until the caller's transaction ends, so concurrent appends queue behind it.
 */
export async function advanceAuditHead(
  db: Executor,
  workspaceId: string,
): Promise<{ seq: number; prevHash: string }> {
  await db
    .insertInto('audit_heads')
    .values({ workspace_id: workspaceId, seq: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('workspace_id').doNothing())
    .execute();
  const head = await db
    .updateTable('audit_heads')
    .set({ seq: sql`seq + 1` })
    .where('workspace_id', '=', workspaceId)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  return { seq: Number(head.seq), prevHash: head.hash };
}

export async function appendAuditEvent(db: Executor, row: AuditEventsTable): Promise<void> {
  await db.insertInto('audit_events').values(row).execute();
  await db
    .updateTable('audit_heads')
    .set({ hash: row.hash })
    .where('workspace_id', '=', row.workspace_id)
    .execute();
}

export interface AuditFilter {
  action?: string;
  actorId?: string;
  targetId?: string;
  since?: string;
  until?: string;
  /** Return entries with seq below this (paging backwards from the newest). */
  beforeSeq?: number;
  limit: number;
}

export function listAuditEvents(db: Executor, workspaceId: string, filter: AuditFilter) {
  let q = db.selectFrom('audit_events').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.actorId) q = q.where('actor_id', '=', filter.actorId);
  if (filter.targetId) q = q.where('target_id', '=', filter.targetId);
  if (filter.since) q = q.where('occurred_at', '>=', filter.since);
  if (filter.until) q = q.where('occurred_at', '<', filter.until);
  if (filter.beforeSeq !== undefined) q = q.where('seq', '<', filter.beforeSeq);
  return q.orderBy('seq', 'desc').limit(filter.limit).execute();
}

/** One workspace's chain in order, a page at a time, for verification. */
export function auditChainPage(db: Executor, workspaceId: string, afterSeq: number, limit: number) {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('seq', '>', afterSeq)
    .orderBy('seq', 'asc')
    .limit(limit)
    .execute();
}

export function listAuditHeads(db: Executor) {
  return db.selectFrom('audit_heads').selectAll().orderBy('workspace_id').execute();
}

/** Workspaces that have audit entries but possibly no head row (a deleted head is tampering too). */
export async function listAuditedWorkspaceIds(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('audit_events').select('workspace_id').distinct().execute();
  return rows.map((r) => r.workspace_id);
}
