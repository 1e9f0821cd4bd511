/** What an audit entry says; recorded by record-audit-event.ts, heard by audit-listeners.ts. */
export type AuditActor =
  | { type: 'user'; id: string }
  | { type: 'api_token'; id: string }
  | { type: 'visitor'; id: string }
  | { type: 'system' };

/** Ids, counts and flags only. Never secrets, never personal data (names, emails, message text). */
export type AuditDetails = Record<string, string | number | boolean | null>;

export interface AuditEventInput {
  workspaceId: string;
  actor: AuditActor;
  /** Dotted verb, e.g. `auth.login.failed`, `user.role.changed`, `token.created`. */
  action: string;
  target?: { type: string; id: string };
  ip?: string | null;
  details?: AuditDetails;
}
