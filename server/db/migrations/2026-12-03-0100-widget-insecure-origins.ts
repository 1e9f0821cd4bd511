import { type Kysely, sql } from 'kysely';

/**
 * Widgets of an https:// Parley may name plain http:// origins only when an administrator allows it
 * for that widget (protocol/api.ts, `allowInsecureOrigins`). Widgets that already name one keep
 * working: they start with the flag set, visible on the widget's page, for an administrator to review.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('widgets')
    .addColumn('allow_insecure_origins', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db
    .updateTable('widgets')
    .set({ allow_insecure_origins: 1 })
    .where(sql<boolean>`allowed_origins like ${'%"http://%'}`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('widgets').dropColumn('allow_insecure_origins').execute();
}
