import type { Kysely } from 'kysely';

/**
 * When the visitor data inside an archive was first given (null: the archive holds none), so a
 * visitor data TTL saved after the conversation was archived still reaches that copy. Archives made
 * before this column existed take their archive time (the data was given no later than that): the TTL
 * reaches their copy at most one TTL after archiving, and the first run finds out which hold any.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversation_archives').addColumn('profile_collected_at', 'text').execute();
  await db
    .updateTable('conversation_archives')
    .set((eb) => ({ profile_collected_at: eb.ref('archived_at') }))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversation_archives').dropColumn('profile_collected_at').execute();
}
