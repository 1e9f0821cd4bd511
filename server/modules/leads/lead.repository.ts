import type { Executor } from '../../platform/db/schema.js';

export interface LeadFilter {
  workspaceId: string;
  widgetId?: string | undefined;
  /** One visitor's lead (their data-subject export). */
  visitorId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Keyset paging: rows strictly after this (collected_at, visitor_id), newest first. */
  after?: { collectedAt: string; visitorId: string } | undefined;
  now: string;
  limit: number;
}

/** Live profiles that hold an email (its blind index tells, without opening anything). */
export function listLeadProfiles(db: Executor, f: LeadFilter) {
  let q = db
    .selectFrom('visitor_profiles')
    .selectAll()
    .where('workspace_id', '=', f.workspaceId)
    .where('email_index', 'is not', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', f.now)]));
  if (f.widgetId) q = q.where('widget_id', '=', f.widgetId);
  if (f.visitorId) q = q.where('visitor_id', '=', f.visitorId);
  if (f.from) q = q.where('collected_at', '>=', f.from);
  if (f.to) q = q.where('collected_at', '<', f.to);
  const after = f.after;
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('collected_at', '<', after.collectedAt),
        eb.and([eb('collected_at', '=', after.collectedAt), eb('visitor_id', '<', after.visitorId)]),
      ]),
    );
  }
  return q.orderBy('collected_at', 'desc').orderBy('visitor_id', 'desc').limit(f.limit).execute();
}

export function findLatestConversationIds(db: Executor, visitorIds: readonly string[]) {
  if (visitorIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('conversations')
    .select(['visitor_id', 'id', 'created_at'])
    .where('visitor_id', 'in', visitorIds)
    .orderBy('created_at', 'desc')
    .execute();
}
