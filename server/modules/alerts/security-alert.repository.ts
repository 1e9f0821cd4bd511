import type { Executor } from '../../platform/db/schema.js';
import type { SecurityAlertsTable } from '../../platform/db/schema-alerts.js';

/** How long the dashboard keeps an alert; mail and the webhook took it when it was raised. */
const KEPT_MS = 90 * 86_400_000;

/** Stores an alert as administrators read it, and lets the workspace's alerts past the keeping time go. */
export async function insertSecurityAlert(db: Executor, row: SecurityAlertsTable): Promise<void> {
  await db.insertInto('security_alerts').values(row).execute();
  const before = new Date(Date.parse(row.raised_at) - KEPT_MS).toISOString();
  await db
    .deleteFrom('security_alerts')
    .where('workspace_id', '=', row.workspace_id)
    .where('raised_at', '<', before)
    .execute();
}

/** The workspace's alerts, newest first. */
export async function listSecurityAlertRows(
  db: Executor,
  workspaceId: string,
  limit: number,
): Promise<SecurityAlertsTable[]> {
  return db
    .selectFrom('security_alerts')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('raised_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** How many of the workspace's alerts came after the administrator's read position (all, without one). */
export async function countUnreadSecurityAlerts(
  db: Executor,
  workspaceId: string,
  userId: string,
): Promise<number> {
  const read = await db
    .selectFrom('security_alert_reads')
    .select('seen_through')
    .where('user_id', '=', userId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  let q = db
    .selectFrom('security_alerts')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('workspace_id', '=', workspaceId);
  if (read) q = q.where('raised_at', '>', read.seen_through);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Moves the administrator's read position forward to `through`, never back. */
export async function advanceSecurityAlertRead(
  db: Executor,
  row: { userId: string; workspaceId: string; through: string },
): Promise<void> {
  await db
    .insertInto('security_alert_reads')
    .values({ user_id: row.userId, workspace_id: row.workspaceId, seen_through: row.through })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'workspace_id'])
        .doUpdateSet({ seen_through: row.through })
        .where('security_alert_reads.seen_through', '<', row.through),
    )
    .execute();
}
