import type {
  Executor,
  VisitorCredentialsTable,
  VisitorsTable,
  WsTicketsTable,
} from '../../platform/db/schema.js';

export async function insertVisitor(db: Executor, row: VisitorsTable): Promise<void> {
  await db.insertInto('visitors').values(row).execute();
}

export function findVisitor(db: Executor, id: string) {
  return db.selectFrom('visitors').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchVisitor(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('visitors').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function insertCredential(db: Executor, row: VisitorCredentialsTable): Promise<void> {
  await db.insertInto('visitor_credentials').values(row).execute();
}

export function findCredentialByHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom('visitor_credentials')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Revokes only if still live, and says whether it did: of two racing rotations, one wins. */
export async function revokeCredential(db: Executor, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('visitor_credentials')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertTicket(db: Executor, row: WsTicketsTable): Promise<void> {
  await db.insertInto('ws_tickets').values(row).execute();
}

/** Deletes and returns the ticket in one statement: it can be used once, by one handshake. */
export function consumeTicketRow(db: Executor, tokenHash: string) {
  return db.deleteFrom('ws_tickets').where('token_hash', '=', tokenHash).returningAll().executeTakeFirst();
}

export async function deleteExpiredTickets(db: Executor, at: string): Promise<void> {
  await db.deleteFrom('ws_tickets').where('expires_at', '<', at).execute();
}

/** Revokes every live credential of these visitors. */
export async function revokeCredentialsOfVisitors(
  db: Executor,
  visitorIds: readonly string[],
  at: string,
): Promise<void> {
  if (visitorIds.length === 0) return;
  await db
    .updateTable('visitor_credentials')
    .set({ revoked_at: at })
    .where('visitor_id', 'in', visitorIds)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Everything this module holds of one visitor: tickets, credentials, profile and the visitor row. */
export async function deleteVisitorRecords(db: Executor, visitorId: string): Promise<void> {
  await db.deleteFrom('ws_tickets').where('visitor_id', '=', visitorId).execute();
  await db.deleteFrom('visitor_credentials').where('visitor_id', '=', visitorId).execute();
  await db.deleteFrom('visitor_profiles').where('visitor_id', '=', visitorId).execute();
  await db.deleteFrom('visitors').where('id', '=', visitorId).execute();
}

export async function visitorRowExists(db: Executor, visitorId: string): Promise<boolean> {
  return (
    (await db.selectFrom('visitors').select('id').where('id', '=', visitorId).executeTakeFirst()) !==
    undefined
  );
}
