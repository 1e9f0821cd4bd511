import type { AuditEventInput } from '../audit/record-audit-event.js';

/** The security alerts, each with what an administrator reads first. */
export const ALERT_RULES = {
  brute_force: 'Failed sign-ins across several accounts',
  admin_created: 'A new administrator',
  mfa_turned_off: 'Two-factor authentication turned off',
  key_rotation: 'Master key rotated or retired',
  audit_chain_broken: 'The audit log does not verify',
  refused_origins: 'A burst of refused origins',
  refused_tickets: 'A burst of refused WebSocket tickets',
  refused_addresses: 'Administration refused from addresses outside the allow-list',
  infected_upload: 'An uploaded file was refused as malware',
  break_glass: 'Signed in with the break-glass password while passwords are off',
  provider_unreachable: 'A sign-in provider could not be asked whether its people still have access',
} as const;
export type AlertRule = keyof typeof ALERT_RULES;

/** Distinct accounts failing to sign in within the window that make a brute-force alert. */
export const BRUTE_FORCE_ACCOUNTS = 5;
export const BRUTE_FORCE_WINDOW_MS = 10 * 60_000;

/**
 * The rule an audit entry triggers by itself, if any (the brute-force rule needs several entries:
 * brute-force-window.ts). Pure: it reads only the entry.
 */
export function ruleForAuditEvent(event: AuditEventInput): AlertRule | null {
  const d = event.details ?? {};
  switch (event.action) {
    case 'user.role.changed':
      return d.to === 'administrator' ? 'admin_created' : null;
    case 'user.invite.accepted':
      return d.role === 'administrator' ? 'admin_created' : null;
    case 'user.created_by_sso':
      // A provider's group mapping made someone administrator on their first sign-in.
      return d.role === 'administrator' ? 'admin_created' : null;
    case 'auth.oidc.recheck_unreachable':
      // Until it answers again nobody it signed in loses access: someone should look.
      return 'provider_unreachable';
    case 'auth.login.break_glass':
      return 'break_glass';
    case 'mfa.totp.removed':
      return 'mfa_turned_off';
    case 'attachments.infected_refused':
      return 'infected_upload';
    case 'mfa.policy.changed': {
      // Turned off: the workspace-wide requirement dropped, or a role no longer required.
      const before = String(d.previousRoles ?? '')
        .split(',')
        .filter(Boolean);
      const after = new Set(
        String(d.roles ?? '')
          .split(',')
          .filter(Boolean),
      );
      const dropped = d.previousWorkspace === true && d.workspace === false;
      return dropped || before.some((r) => !after.has(r)) ? 'mfa_turned_off' : null;
    }
    default:
      return null;
  }
}
