import type { Kysely } from 'kysely';

/**
 * Calls are off for every widget until an administrator turns them on (`callsEnabled`): only then may
 * agents offer one, and only then does the widget's iframe ask the host page for camera and microphone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('widgets')
    .addColumn('calls_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('widgets').dropColumn('calls_enabled').execute();
}
