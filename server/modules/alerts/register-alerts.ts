import type { FastifyInstance } from 'fastify';
import { onAuditEvent } from '../audit/audit-listeners.js';
import { ruleForAuditEvent } from './alert-rules.js';
import { BruteForceWindow } from './brute-force-window.js';
import { REFUSAL_RULES, RefusalWindow } from './refusal-window.js';
import { EVERY_WORKSPACE, SecurityAlerts } from './security-alerts.js';

/**
 * Watches this node's audit entries and refusals for the alert rules (alert-rules.ts) and raises
 * alerts (security-alerts.ts). Raising never delays or fails the request that was audited or refused.
 */
export function registerSecurityAlerts(app: FastifyInstance): SecurityAlerts {
  const counters = app.sharedCounters;
  const alerts = new SecurityAlerts({
    db: app.db,
    mailer: app.mailer,
    config: app.config,
    counters,
    log: app.log,
  });
  const bruteForce = new BruteForceWindow(counters);
  const refused = new RefusalWindow(counters, app.config.alerts);
  // After the audited change commits (the audit listener is called inside its transaction), and
  // after the refused request has its answer.
  const later = (work: () => Promise<unknown>) =>
    setImmediate(() => {
      work().catch((err: unknown) => app.log.warn({ err }, 'security alert failed'));
    });
  const stopAudit = onAuditEvent((event) => {
    if (event.action === 'auth.login.failed' && event.actor.type === 'user') {
      const { workspaceId } = event;
      const accountId = event.actor.id;
      later(async () => {
        if (await bruteForce.failed(workspaceId, accountId, Date.now()))
          await alerts.raise(workspaceId, 'brute_force', { window: '10 minutes' });
      });
      return;
    }
    const rule = ruleForAuditEvent(event);
    if (rule)
      later(() =>
        alerts.raise(event.workspaceId, rule, event.target ? { [event.target.type]: event.target.id } : {}),
      );
  });
  const stopRefusals = app.refusals.on((refusal) => {
    later(async () => {
      const now = Date.now();
      if (await refused.refused(refusal, now))
        await alerts.raise(EVERY_WORKSPACE, REFUSAL_RULES[refusal.kind], () =>
          refused.facts(refusal.kind, now),
        );
    });
  });
  app.addHook('onClose', async () => {
    stopAudit();
    stopRefusals();
  });
  return alerts;
}
