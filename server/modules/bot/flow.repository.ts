import { prepared } from '../../platform/db/prepared.js';
import type { Executor } from '../../platform/db/schema.js';
import type {
  BotFlowsTable,
  BotFlowVersionsTable,
  ConversationCheckpointsTable,
  FlowRunsTable,
  WidgetBotSettingsTable,
} from '../../platform/db/schema-flows.js';

export function findFlows(db: Executor, workspaceId: string, widgetId: string) {
  return db
    .selectFrom('bot_flows')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('widget_id', '=', widgetId)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export function findFlow(db: Executor, workspaceId: string, flowId: string) {
  return db
    .selectFrom('bot_flows')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', flowId)
    .executeTakeFirst();
}

export function findFlowVersion(db: Executor, flowId: string, version: number) {
  return db
    .selectFrom('bot_flow_versions')
    .selectAll()
    .where('flow_id', '=', flowId)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** The current definition of each flow, for presenting a list in one query. */
export function findCurrentVersions(db: Executor, flows: BotFlowsTable[]) {
  if (flows.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('bot_flow_versions')
    .innerJoin('bot_flows', (j) =>
      j
        .onRef('bot_flows.id', '=', 'bot_flow_versions.flow_id')
        .onRef('bot_flows.version', '=', 'bot_flow_versions.version'),
    )
    .selectAll('bot_flow_versions')
    .where(
      'bot_flows.id',
      'in',
      flows.map((f) => f.id),
    )
    .execute();
}

export async function insertFlow(db: Executor, row: BotFlowsTable): Promise<void> {
  await db.insertInto('bot_flows').values(row).execute();
}

export async function updateFlowRow(
  db: Executor,
  flowId: string,
  changes: Partial<Omit<BotFlowsTable, 'id' | 'workspace_id' | 'widget_id'>>,
): Promise<void> {
  await db.updateTable('bot_flows').set(changes).where('id', '=', flowId).execute();
}

export async function insertFlowVersion(db: Executor, row: BotFlowVersionsTable): Promise<void> {
  await db.insertInto('bot_flow_versions').values(row).execute();
}

export async function deleteFlowRows(db: Executor, flowId: string): Promise<void> {
  await db.deleteFrom('flow_runs').where('flow_id', '=', flowId).execute();
  await db.deleteFrom('bot_flow_versions').where('flow_id', '=', flowId).execute();
  await db.deleteFrom('bot_flows').where('id', '=', flowId).execute();
}

export function countFlows(db: Executor, widgetId: string) {
  return db
    .selectFrom('bot_flows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('widget_id', '=', widgetId)
    .executeTakeFirstOrThrow();
}

export async function findRun(db: Executor, conversationId: string) {
  return (await runQuery(db, conversationId)).rows[0];
}

const runQuery = prepared(1, (db, conversationId: string) =>
  db.selectFrom('flow_runs').selectAll().where('conversation_id', '=', conversationId),
);

export async function saveRun(db: Executor, row: FlowRunsTable): Promise<void> {
  const { conversation_id: _c, workspace_id: _w, ...changes } = row;
  await db
    .insertInto('flow_runs')
    .values(row)
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet(changes))
    .execute();
}

export async function insertCheckpoint(db: Executor, row: ConversationCheckpointsTable): Promise<void> {
  await db.insertInto('conversation_checkpoints').values(row).execute();
}

export function findCheckpoints(db: Executor, conversationId: string) {
  return db
    .selectFrom('conversation_checkpoints')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findBotSettings(db: Executor, widgetId: string) {
  return db
    .selectFrom('widget_bot_settings')
    .selectAll()
    .where('widget_id', '=', widgetId)
    .executeTakeFirst();
}

export async function saveBotSettings(
  db: Executor,
  key: { widget_id: string; workspace_id: string },
  changes: Partial<Omit<WidgetBotSettingsTable, 'widget_id' | 'workspace_id'>> & { updated_at: string },
): Promise<void> {
  await db
    .insertInto('widget_bot_settings')
    .values({
      external_bot_enabled: 0,
      external_bot_url: null,
      external_bot_secret: null,
      business_hours: null,
      ...key,
      ...changes,
    })
    .onConflict((oc) => oc.column('widget_id').doUpdateSet(changes))
    .execute();
}

/** Whether the visitor wrote in this conversation before the message at `seq`. */
export async function visitorWroteBefore(
  db: Executor,
  conversationId: string,
  seq: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('author_kind', '=', 'visitor')
    .where('seq', '<', seq)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The names of a workspace's flows by id (the leads list shows a flow's name, not its id). */
export function findFlowNames(db: Executor, workspaceId: string, flowIds: readonly string[]) {
  if (flowIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('bot_flows')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...flowIds])
    .execute();
}
