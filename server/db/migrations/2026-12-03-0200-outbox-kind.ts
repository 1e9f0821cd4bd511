import type { Kysely } from 'kysely';

/**
 * What a mail in the outbox is, so the dashboard knows whose link it may show: an invitation's link
 * to the workspace's administrators, a password reset link only to the account it resets. Mail
 * already there is classified by its subject; anything not recognisably an invitation is treated as
 * a reset, whose link is the one kept from other readers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('outbox')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('password_reset'))
    .execute();
  await db
    .updateTable('outbox')
    .set({ kind: 'invitation' })
    .where('subject', 'like', 'You are invited to %')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('kind').execute();
}
