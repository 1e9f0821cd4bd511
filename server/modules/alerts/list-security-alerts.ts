import type { SecurityAlert } from '../../../protocol/security-alerts.js';
import type { Db } from '../../platform/db/schema.js';
import { ALERT_RULES, type AlertRule } from './alert-rules.js';
import { listSecurityAlertRows } from './security-alert.repository.js';

/** The workspace's recent security alerts, newest first, as the dashboard shows them. */
export async function listSecurityAlerts(options: {
  db: Db;
  workspaceId: string;
  limit: number;
}): Promise<SecurityAlert[]> {
  const rows = await listSecurityAlertRows(options.db, options.workspaceId, options.limit);
  return rows.map((r) => ({
    id: r.id,
    rule: r.rule,
    title: ALERT_RULES[r.rule as AlertRule] ?? r.rule,
    raisedAt: r.raised_at,
    facts: JSON.parse(r.facts) as SecurityAlert['facts'],
    heldBack: Number(r.held_back),
  }));
}
