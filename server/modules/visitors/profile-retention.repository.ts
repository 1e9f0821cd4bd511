import type { Executor } from '../../platform/db/schema.js';

/** Profiles past their TTL: by the expiry set when collected, or by a TTL shortened since. */
export async function selectExpiredProfiles(
  db: Executor,
  o: { widgetId: string; now: string; collectedBefore: string | null; limit: number },
) {
  const rows = await db
    .selectFrom('visitor_profiles')
    .select('visitor_id')
    .where('widget_id', '=', o.widgetId)
    .where((eb) =>
      o.collectedBefore === null
        ? eb('expires_at', '<=', o.now)
        : eb.or([eb('expires_at', '<=', o.now), eb('collected_at', '<=', o.collectedBefore)]),
    )
    .orderBy('visitor_id')
    .limit(o.limit)
    .execute();
  return rows.map((r) => r.visitor_id);
}

export async function deleteProfiles(db: Executor, visitorIds: string[]): Promise<number> {
  if (visitorIds.length === 0) return 0;
  const r = await db.deleteFrom('visitor_profiles').where('visitor_id', 'in', visitorIds).executeTakeFirst();
  return Number(r.numDeletedRows);
}
