import type { FastifyInstance } from 'fastify';
import { onAuditEvent } from '../audit/audit-listeners.js';
import { ruleForAuditEvent } from './alert-rules.js';
import { BruteForceWindow } from './brute-force-window.js';
import { SecurityAlerts } from './security-alerts.js';

/**
 * Watches this node's audit entries for the alert rules (alert-rules.ts) and raises alerts
 * (security-alerts.ts). Raising never delays or fails the request that was audited.
 */
export function registerSecurityAlerts(app: FastifyInstance): SecurityAlerts {
  const alerts = new SecurityAlerts({ db: app.db, mailer: app.mailer, config: app.config, log: app.log });
  const bruteForce = new BruteForceWindow();
  const raise = (...args: Parameters<SecurityAlerts['raise']>) =>
    // After the audited change commits: the listener is called inside its transaction.
    setImmediate(() => {
      alerts.raise(...args).catch((err: unknown) => app.log.warn({ err }, 'security alert failed'));
    });
  const stop = onAuditEvent((event) => {
    if (event.action === 'auth.login.failed' && event.actor.type === 'user') {
      if (bruteForce.failed(event.workspaceId, event.actor.id, Date.now()))
        raise(event.workspaceId, 'brute_force', { window: '10 minutes' });
      return;
    }
    const rule = ruleForAuditEvent(event);
    if (rule) raise(event.workspaceId, rule, event.target ? { [event.target.type]: event.target.id } : {});
  });
  app.addHook('onClose', async () => stop());
  return alerts;
}
