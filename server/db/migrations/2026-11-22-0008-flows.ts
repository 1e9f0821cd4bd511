import type { Kysely } from 'kysely';

// Bot flows (versioned), flow runs and checkpoints per conversation, external bot webhook and
// business hours per widget.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('bot_flows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('widget_id', 'text', (c) => c.notNull().references('widgets.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bot_flows_widget').on('bot_flows').columns(['widget_id', 'name']).execute();

  // Every saved definition is kept: a run finishes on the version it started with.
  await db.schema
    .createTable('bot_flow_versions')
    .addColumn('flow_id', 'text', (c) => c.notNull().references('bot_flows.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull()) // JSON FlowDefinition
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('bot_flow_versions_pk', ['flow_id', 'version'])
    .execute();

  // The bot's state in one conversation: the flow step it waits on, or an after-hours email request.
  await db.schema
    .createTable('flow_runs')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('flow_id', 'text')
    .addColumn('flow_version', 'integer')
    .addColumn('step_id', 'text')
    .addColumn('prompt_seq', 'integer')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('awaiting', 'text') // 'flow' | 'after_hours_email' | null (finished)
    .addColumn('handoff_team_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // A checkpoint names a point the visitor reached; `data` (what they had told so far) is sealed
  // under the visitor's data key.
  await db.schema
    .createTable('conversation_checkpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('data', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conversation_checkpoints_conversation')
    .on('conversation_checkpoints')
    .columns(['conversation_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('widget_bot_settings')
    .addColumn('widget_id', 'text', (c) => c.primaryKey().references('widgets.id'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('external_bot_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('external_bot_url', 'text')
    .addColumn('external_bot_secret', 'text') // sealed under the key ring
    .addColumn('business_hours', 'text') // JSON BusinessHours
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('widget_bot_settings').execute();
  await db.schema.dropTable('conversation_checkpoints').execute();
  await db.schema.dropTable('flow_runs').execute();
  await db.schema.dropTable('bot_flow_versions').execute();
  await db.schema.dropTable('bot_flows').execute();
}
