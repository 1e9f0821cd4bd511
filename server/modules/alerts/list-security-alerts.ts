import type { SecurityAlert, SecurityAlertList } from '../../../protocol/security-alerts.js';
import type { Db } from '../../platform/db/schema.js';
import { ALERT_RULES, type AlertRule } from './alert-rules.js';
import { countUnreadSecurityAlerts, listSecurityAlertRows } from './security-alert.repository.js';

/**
 * The workspace's recent security alerts, newest first, as the dashboard shows them, and how many
 * the administrator asking has not been shown yet.
 */
export async function listSecurityAlerts(options: {
  db: Db;
  workspaceId: string;
  userId: string;
  limit: number;
}): Promise<SecurityAlertList> {
  const rows = await listSecurityAlertRows(options.db, options.workspaceId, options.limit);
  const unread = await countUnreadSecurityAlerts(options.db, options.workspaceId, options.userId);
  return { items: rows.map(present), unread };
}

function present(r: Awaited<ReturnType<typeof listSecurityAlertRows>>[number]): SecurityAlert {
  return {
    id: r.id,
    rule: r.rule,
    title: ALERT_RULES[r.rule as AlertRule] ?? r.rule,
    raisedAt: r.raised_at,
    facts: JSON.parse(r.facts) as SecurityAlert['facts'],
    heldBack: Number(r.held_back),
  };
}
