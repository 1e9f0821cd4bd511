import type { Config } from '../../config.js';
import type { Db } from '../../platform/db/schema.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { listMembers } from '../users/lookups.js';
import { findWorkspace } from '../workspaces/lookups.js';
import { ALERT_RULES, type AlertRule } from './alert-rules.js';
import { sendAlertWebhook } from './send-alert-webhook.js';

/** Ids and counts only, as in the audit log: an alert travels by mail and to another system. */
export type AlertFacts = Record<string, string | number | boolean>;

export type AlertOutcome = 'sent' | 'throttled' | 'no_workspace';

const MAIL_KEPT_MS = 7 * 86_400_000;

/**
 * Raises security alerts: to every administrator of the workspace by mail (the outbox when no SMTP
 * server is set), to the signed webhook when one is configured, and as a `security.alert.raised`
 * entry in the workspace's audit log, which administrators read in the dashboard. Throttled per
 * workspace and rule (PARLEY_ALERT_THROTTLE_MINUTES, per node): an attack makes one alert per period,
 * and the next one says how many were held back, not a flood of mail.
 */
export class SecurityAlerts {
  private readonly last = new Map<string, { at: number; held: number }>();

  constructor(
    private readonly deps: {
      db: Db;
      mailer: Mailer;
      config: Pick<Config, 'alerts' | 'publicUrl'>;
      log?: { warn(obj: object, msg: string): void };
      now?: () => number;
    },
  ) {}

  async raise(workspaceId: string, rule: AlertRule, facts: AlertFacts = {}): Promise<AlertOutcome> {
    const { db, config } = this.deps;
    const now = this.deps.now?.() ?? Date.now();
    const key = `${workspaceId}:${rule}`;
    const previous = this.last.get(key);
    if (previous && now - previous.at < config.alerts.throttleMs) {
      previous.held += 1;
      return 'throttled';
    }
    if (!(await findWorkspace(db, workspaceId))) return 'no_workspace';
    const heldBack = previous?.held ?? 0;
    this.last.set(key, { at: now, held: 0 });
    const title = ALERT_RULES[rule];
    const occurredAt = new Date(now).toISOString();

    const admins = (await listMembers(db, workspaceId)).filter(
      (m) => m.role === 'administrator' && !m.disabledAt,
    );
    const lines = [
      `Security alert for your Parley workspace: ${title}.`,
      '',
      ...Object.entries(facts).map(([k, v]) => `${k}: ${v}`),
      `when: ${occurredAt}`,
      ...(heldBack > 0 ? [`${heldBack} more alert(s) of this kind were held back since the last one.`] : []),
      '',
      `The audit log in the dashboard has the details: ${config.publicUrl}/`,
      'What to do: docs/OPERATIONS.md, "Security alerts".',
    ];
    for (const admin of admins) {
      await this.deps.mailer.send({
        workspaceId,
        to: admin.email,
        subject: `[Parley] Security alert: ${title}`,
        text: lines.join('\n'),
        kind: 'security_alert',
        expiresAt: new Date(now + MAIL_KEPT_MS).toISOString(),
      });
    }

    let webhook: 'off' | 'delivered' | 'failed' = 'off';
    if (config.alerts.webhook) {
      const body = JSON.stringify({
        type: 'security.alert',
        rule,
        title,
        workspaceId,
        occurredAt,
        facts,
        heldBack,
      });
      webhook = await sendAlertWebhook(config.alerts.webhook, body).then(
        () => 'delivered' as const,
        (err: Error) => {
          this.deps.log?.warn({ rule, reason: err.message }, 'security alert webhook failed');
          return 'failed' as const;
        },
      );
    }
    await recordAuditEvent(db, {
      workspaceId,
      actor: { type: 'system' },
      action: 'security.alert.raised',
      details: { rule, heldBack, mailed: admins.length, webhook },
    });
    return 'sent';
  }
}
