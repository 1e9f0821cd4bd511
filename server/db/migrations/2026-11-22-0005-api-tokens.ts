import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';

// API tokens for site backends, and what identity verification needs: a secret per widget, the
// `require_identity` switch, and the site's own user id on visitors it has vouched for.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    // The 8 characters after `prt_`: not secret, they let a leaked token be recognised and looked up.
    .addColumn('public_id', 'text', (c) => c.notNull().unique())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_tokens_workspace').on('api_tokens').columns(['workspace_id']).execute();

  await db.schema.alterTable('widgets').addColumn('identity_secret', 'text').execute();
  await db.schema
    .alterTable('widgets')
    .addColumn('require_identity', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Widgets created before this migration get their secret now, so every widget has one.
  const widgets = await db.selectFrom('widgets').select('id').execute();
  for (const w of widgets) {
    await db
      .updateTable('widgets')
      .set({ identity_secret: `pws_${randomBytes(32).toString('base64url')}` })
      .where('id', '=', w.id)
      .execute();
  }

  await db.schema.alterTable('visitors').addColumn('external_user_id', 'text').execute();
  // One visitor per (widget, site user): the same verified user resumes the same history anywhere.
  await db.schema
    .createIndex('visitors_widget_external_user')
    .on('visitors')
    .columns(['widget_id', 'external_user_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('visitors_widget_external_user').ifExists().execute();
  await db.schema.alterTable('visitors').dropColumn('external_user_id').execute();
  await db.schema.alterTable('widgets').dropColumn('require_identity').execute();
  await db.schema.alterTable('widgets').dropColumn('identity_secret').execute();
  await db.schema.dropTable('api_tokens').ifExists().execute();
}
