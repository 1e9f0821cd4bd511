import type { Executor } from '../../platform/db/schema.js';
import type { SecurityAlertsTable } from '../../platform/db/schema-receipts.js';

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
