import type { Kysely } from 'kysely';

// The human handoff: queries with their lifecycle and every transition, teams, operator presence
// and capacity, resolution codes, canned responses, and the rating a visitor gives.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('teams_workspace_name', ['workspace_id', 'name'])
    .execute();
  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
    .execute();
  await db.schema.createIndex('team_members_user').on('team_members').column('user_id').execute();

  // One row per agent: capacity, an explicit "away", and when they last got a query (round-robin).
  // The row is also what assignment locks, so two nodes never push one agent past capacity.
  await db.schema
    .createTable('agent_service_settings')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('away', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_assigned_at', 'text')
    .execute();

  // One row per (node, agent) with a live socket, refreshed by that node's heartbeat; an agent is
  // connected while any row is fresh, whichever node holds the socket.
  await db.schema
    .createTable('agent_presence')
    .addColumn('id', 'text', (c) => c.primaryKey()) // `${nodeId}:${userId}`
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('agent_presence_user')
    .on('agent_presence')
    .columns(['user_id', 'seen_at'])
    .execute();

  await db.schema
    .createTable('queries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('widget_id', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('page_url', 'text')
    .addColumn('referrer', 'text')
    .addColumn('resolution_code', 'text')
    .addColumn('resolution_note', 'text')
    .addColumn('rating', 'integer')
    .addColumn('rating_comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('first_assigned_at', 'text')
    .addColumn('first_response_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('rated_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('queries_queue')
    .on('queries')
    .columns(['workspace_id', 'state', 'created_at'])
    .execute();
  await db.schema.createIndex('queries_assignee').on('queries').columns(['assignee_id', 'state']).execute();
  await db.schema.createIndex('queries_conversation').on('queries').column('conversation_id').execute();

  await db.schema
    .createTable('query_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('query_id', 'text', (c) => c.notNull().references('queries.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('assignee_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('query_events_query')
    .on('query_events')
    .columns(['query_id', 'occurred_at'])
    .execute();
  await db.schema
    .createIndex('query_events_workspace')
    .on('query_events')
    .columns(['workspace_id', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('resolution_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('resolution_codes_workspace_code', ['workspace_id', 'code'])
    .execute();

  await db.schema
    .createTable('canned_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('shortcut', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('canned_responses_workspace_shortcut', ['workspace_id', 'shortcut'])
    .execute();

  // The conversation's current (latest) query, and the team a widget's handoffs go to.
  await db.schema.alterTable('conversations').addColumn('query_id', 'text').execute();
  // The page the visitor is on and where they came from, as the widget reports them (sealed under
  // the visitor's key); a handoff copies them into the query's origin.
  await db.schema.alterTable('conversations').addColumn('page_url', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('referrer', 'text').execute();
  await db.schema.alterTable('widgets').addColumn('team_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'canned_responses',
    'resolution_codes',
    'query_events',
    'queries',
    'agent_presence',
    'agent_service_settings',
    'team_members',
    'teams',
  ])
    await db.schema.dropTable(t).execute();
}
