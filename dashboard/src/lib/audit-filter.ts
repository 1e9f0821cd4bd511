import type { AuditQuery } from '../../../protocol/users-api.js';

/** The audit screen's filter form, as typed: dates are local calendar days from <input type="date">. */
export interface AuditFilter {
  action: string;
  actorId: string;
  targetId: string;
  from: string;
  to: string;
}

export const EMPTY_FILTER: AuditFilter = { action: '', actorId: '', targetId: '', from: '', to: '' };

/** Local midnight of a yyyy-mm-dd day, as the UTC instant the API compares against. */
function localDayStart(day: string, addDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + addDays).toISOString();
}

/**
 * The API's query for a filter. "To" is inclusive for people (the whole day) while the API's
 * `until` is exclusive, so it becomes the start of the next day.
 */
export function toAuditQuery(filter: AuditFilter, beforeSeq?: number): AuditQuery {
  const q: AuditQuery = { limit: 50 };
  const action = filter.action.trim();
  if (action) q.action = action;
  if (filter.actorId) q.actorId = filter.actorId;
  if (filter.targetId.trim()) q.targetId = filter.targetId.trim();
  const since = localDayStart(filter.from);
  if (since) q.since = since;
  const until = localDayStart(filter.to, 1);
  if (until) q.until = until;
  if (beforeSeq) q.beforeSeq = beforeSeq;
  return q;
}

/** Actions recorded today, offered as suggestions; the field accepts any action name. */
export const KNOWN_ACTIONS = [
  'auth.login.failed',
  'auth.login.succeeded',
  'auth.session.revoked',
  'auth.sessions.ended_everywhere',
  'user.deleted',
  'user.disabled',
  'user.enabled',
  'user.invite.accepted',
  'user.invite.revoked',
  'user.invited',
  'user.password.changed',
  'user.password.reset',
  'user.password.reset_requested',
  'user.role.changed',
  'user.sessions.ended',
  'workspace.setup_completed',
] as const;
