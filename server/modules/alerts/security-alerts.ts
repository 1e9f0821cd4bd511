import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.js';
import type { Db } from '../../platform/db/schema.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { createMemoryCounters, type SharedCounters } from '../../platform/pubsub/shared-counters.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { listMembers } from '../users/lookups.js';
import { findWorkspace, listWorkspaceIds } from '../workspaces/lookups.js';
import { ALERT_RULES, type AlertRule } from './alert-rules.js';
import { insertSecurityAlert } from './security-alert.repository.js';
import { sendAlertWebhook } from './send-alert-webhook.js';

/**
 * Ids and counts, as in the audit log; the refusal rules add the client addresses (and origins)
 * behind the burst, which administrators may see. Never a name, an email, a ticket or message text:
 * an alert travels by mail and to another system.
 */
export type AlertFacts = Record<string, string | number | boolean>;

export type AlertOutcome = 'sent' | 'throttled' | 'no_workspace';

/** `raise` to every workspace: for what concerns the whole deployment (a refusal names no workspace). */
export const EVERY_WORKSPACE = '*';

const MAIL_KEPT_MS = 7 * 86_400_000;

/**
 * Raises security alerts: to every administrator of the workspace by mail (the outbox when no SMTP
 * server is set), to the signed webhook when one is configured, into the alerts administrators read
 * in the dashboard (security_alerts), and as a `security.alert.raised` entry in the audit log. Throttled per
 * workspace (or the deployment) and rule (PARLEY_ALERT_THROTTLE_MINUTES, across nodes with Redis):
 * an attack makes one alert per period, and the next one says how many were held back, not a flood
 * of mail.
 */
export class SecurityAlerts {
  private readonly counters: SharedCounters;

  constructor(
    private readonly deps: {
      db: Db;
      mailer: Mailer;
      config: Pick<Config, 'alerts' | 'publicUrl'>;
      /** The throttle's store; a node's own memory when not given (the CLI). */
      counters?: SharedCounters;
      log?: { warn(obj: object, msg: string): void };
      now?: () => number;
    },
  ) {
    this.counters = deps.counters ?? createMemoryCounters();
  }

  /**
   * `facts` may be a function: what is costly to gather (the addresses behind a burst) is gathered
   * only when the alert passes the throttle.
   */
  async raise(
    workspaceId: string,
    rule: AlertRule,
    facts: AlertFacts | (() => Promise<AlertFacts>) = {},
  ): Promise<AlertOutcome> {
    const { db, config } = this.deps;
    const now = this.deps.now?.() ?? Date.now();
    const admission = await this.counters.admit(
      `throttle:${workspaceId}:${rule}`,
      now,
      config.alerts.throttleMs,
    );
    if (!admission.admitted) return 'throttled';
    const targets =
      workspaceId === EVERY_WORKSPACE
        ? await listWorkspaceIds(db)
        : (await findWorkspace(db, workspaceId))
          ? [workspaceId]
          : [];
    if (targets.length === 0) return 'no_workspace';
    const said = typeof facts === 'function' ? await facts() : facts;
    for (const target of targets) await this.deliver(target, rule, said, admission.heldBack, now);
    return 'sent';
  }

  private async deliver(
    workspaceId: string,
    rule: AlertRule,
    facts: AlertFacts,
    heldBack: number,
    now: number,
  ): Promise<void> {
    const { db, config } = this.deps;
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
    await db.transaction().execute(async (trx) => {
      await insertSecurityAlert(trx, {
        id: randomUUID(),
        workspace_id: workspaceId,
        rule,
        raised_at: occurredAt,
        facts: JSON.stringify(facts),
        held_back: heldBack,
      });
      await recordAuditEvent(trx, {
        workspaceId,
        actor: { type: 'system' },
        action: 'security.alert.raised',
        details: { rule, heldBack, mailed: admins.length, webhook },
      });
    });
  }
}
