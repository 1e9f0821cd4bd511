import type { Executor } from '../../platform/db/schema.js';
import type { ConversationLabelsTable, LabelsTable } from '../../platform/db/schema-labels-search.js';

export function listLabels(db: Executor, workspaceId: string) {
  return db
    .selectFrom('labels')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('name_key')
    .execute();
}

export function findLabel(db: Executor, workspaceId: string, id: string) {
  return db
    .selectFrom('labels')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function countLabels(db: Executor, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('labels')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertLabel(db: Executor, row: LabelsTable): Promise<void> {
  await db.insertInto('labels').values(row).execute();
}

export async function updateLabel(
  db: Executor,
  workspaceId: string,
  id: string,
  patch: Pick<LabelsTable, 'name' | 'name_key' | 'colour' | 'updated_at'>,
): Promise<boolean> {
  const r = await db
    .updateTable('labels')
    .set(patch)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Deletes the label; the conversations that carry it lose it (ON DELETE CASCADE). */
export async function deleteLabel(db: Executor, workspaceId: string, id: string): Promise<boolean> {
  await db
    .deleteFrom('conversation_labels')
    .where('label_id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .execute();
  const r = await db
    .deleteFrom('labels')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function insertConversationLabel(db: Executor, row: ConversationLabelsTable): Promise<void> {
  await db
    .insertInto('conversation_labels')
    .values(row)
    .onConflict((oc) => oc.columns(['conversation_id', 'label_id']).doNothing())
    .execute();
}

export async function deleteConversationLabel(
  db: Executor,
  conversationId: string,
  labelId: string,
): Promise<void> {
  await db
    .deleteFrom('conversation_labels')
    .where('conversation_id', '=', conversationId)
    .where('label_id', '=', labelId)
    .execute();
}

export async function countConversationLabels(db: Executor, conversationId: string): Promise<number> {
  const row = await db
    .selectFrom('conversation_labels')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function listLabelsOfConversations(
  db: Executor,
  workspaceId: string,
  conversationIds: readonly string[],
) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('conversation_labels')
    .select(['conversation_id', 'label_id'])
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', 'in', conversationIds)
    .orderBy('created_at')
    .execute();
}

/** The conversations carrying a label that were created in [from, to) (the report by label). */
export function listLabelledConversationIds(db: Executor, o: { workspaceId: string; labelId: string }) {
  return db
    .selectFrom('conversation_labels')
    .select('conversation_id')
    .where('workspace_id', '=', o.workspaceId)
    .where('label_id', '=', o.labelId)
    .execute();
}
