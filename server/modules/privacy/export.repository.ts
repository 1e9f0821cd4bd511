import type { Executor } from '../../platform/db/schema.js';

export function listConversationsOfVisitor(db: Executor, visitorId: string) {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('visitor_id', '=', visitorId)
    .orderBy('created_at')
    .execute();
}

export function listCredentialsOfVisitor(db: Executor, visitorId: string) {
  return db
    .selectFrom('visitor_credentials')
    .select([
      'id',
      'widget_id',
      'host_origin',
      'created_at',
      'first_issued_at',
      'idle_expires_at',
      'expires_at',
      'revoked_at',
    ])
    .where('visitor_id', '=', visitorId)
    .orderBy('created_at')
    .execute();
}
