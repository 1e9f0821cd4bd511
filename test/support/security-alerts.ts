import type { AlertRule } from '../../server/modules/alerts/alert-rules.js';
import type { Db } from '../../server/platform/db/schema.js';

/**
 * How many alerts of a rule are stored. Alerts are raised after the audited change commits or the
 * refused request has its answer (alerts/register-alerts.ts), so tests poll this rather than read once.
 */
export async function countAlerts(db: Db, rule: AlertRule): Promise<number> {
  const rows = await db.selectFrom('security_alerts').select('id').where('rule', '=', rule).execute();
  return rows.length;
}
