import type { Executor } from '../../platform/db/schema.js';

export function selectArchives(
  db: Executor,
  o: { widgetId: string; limit: number } & (
    | { kind: 'all-older'; before: string }
    | { kind: 'partly-older'; before: string }
    | { kind: 'profile-expired'; now: string; collectedBefore: string | null }
  ),
) {
  let q = db.selectFrom('conversation_archives').selectAll().where('widget_id', '=', o.widgetId);
  if (o.kind === 'all-older') q = q.where('last_message_at', '<', o.before);
  else if (o.kind === 'partly-older')
    q = q.where('first_message_at', '<', o.before).where('last_message_at', '>=', o.before);
  else {
    // By the expiry set when archived, or by a TTL saved (or shortened) since.
    const { now, collectedBefore } = o;
    q = q.where((eb) =>
      collectedBefore === null
        ? eb('profile_expires_at', '<=', now)
        : eb.or([eb('profile_expires_at', '<=', now), eb('profile_collected_at', '<=', collectedBefore)]),
    );
  }
  return q.orderBy('id').limit(o.limit).execute();
}
