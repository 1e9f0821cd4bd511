import type { Executor, WorkspacesTable } from '../../platform/db/schema.js';

export async function insertWorkspace(db: Executor, row: WorkspacesTable): Promise<void> {
  await db.insertInto('workspaces').values(row).execute();
}

export function findWorkspace(db: Executor, id: string) {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listWorkspaceIds(db: Executor): Promise<string[]> {
  return (await db.selectFrom('workspaces').select('id').orderBy('created_at').execute()).map((r) => r.id);
}

export function oldestWorkspace(db: Executor) {
  return db.selectFrom('workspaces').selectAll().orderBy('created_at').limit(1).executeTakeFirst();
}

export async function renameWorkspace(db: Executor, id: string, name: string): Promise<void> {
  await db.updateTable('workspaces').set({ name }).where('id', '=', id).execute();
}
