import type { Kysely } from 'kysely';

/**
 * Languages: a widget has a default language and may always use it (instead of the visitor's
 * browser languages); its greeting may be given per language; a conversation remembers the
 * language its visitor's widget showed, so the bot answers in it. Codes are checked by the API's
 * schemas (protocol/languages.ts); knowledge articles already carry a `language`. A quick-reply
 * flow's button under the greeting may be labelled per language too.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('widgets')
    .addColumn('default_language', 'text', (c) => c.notNull().defaultTo('en'))
    .execute();
  await db.schema
    .alterTable('widgets')
    .addColumn('always_default_language', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('widgets').addColumn('greeting_translations', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('language', 'text').execute();
  await db.schema.alterTable('bot_flows').addColumn('label_translations', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bot_flows').dropColumn('label_translations').execute();
  await db.schema.alterTable('conversations').dropColumn('language').execute();
  await db.schema.alterTable('widgets').dropColumn('greeting_translations').execute();
  await db.schema.alterTable('widgets').dropColumn('always_default_language').execute();
  await db.schema.alterTable('widgets').dropColumn('default_language').execute();
}
