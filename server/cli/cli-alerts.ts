import type { Config } from '../config.js';
import type { AlertRule } from '../modules/alerts/alert-rules.js';
import { type AlertFacts, SecurityAlerts } from '../modules/alerts/security-alerts.js';
import { listWorkspaceIds } from '../modules/workspaces/lookups.js';
import type { KeyRing } from '../platform/crypto/key-ring.js';
import type { Db } from '../platform/db/schema.js';
import { createMailer } from '../platform/mail/mailer.js';

/**
 * Raises a security alert from a CLI command (key rotation, audit verification) to the workspaces
 * chosen (all by default), as a running node would. Never fails the command that raised it.
 */
export async function raiseFromCli(o: {
  config: Config;
  db: Db;
  /** Asked only when there is an alert to send (a command may run without the master key). */
  ring: () => KeyRing;
  rule: AlertRule;
  facts?: AlertFacts;
  only?: (workspaceId: string) => boolean;
}): Promise<void> {
  let mailer: ReturnType<typeof createMailer> | null = null;
  try {
    mailer = createMailer(o.config, o.db, o.ring());
    const alerts = new SecurityAlerts({ db: o.db, mailer, config: o.config });
    for (const workspaceId of await listWorkspaceIds(o.db)) {
      if (o.only && !o.only(workspaceId)) continue;
      await alerts.raise(workspaceId, o.rule, o.facts ?? {});
    }
  } catch (err) {
    console.error(`Could not raise the security alert: ${(err as Error).message}`);
  } finally {
    mailer?.close();
  }
}
