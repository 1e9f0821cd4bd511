import type { Executor, KnowledgeArticlesTable } from '../../platform/db/schema.js';

export async function insertArticle(db: Executor, row: KnowledgeArticlesTable): Promise<void> {
  await db.insertInto('knowledge_articles').values(row).execute();
}

export function findArticle(db: Executor, workspaceId: string, id: string) {
  return db
    .selectFrom('knowledge_articles')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listArticles(db: Executor, workspaceId: string, options: { publishedOnly?: boolean } = {}) {
  let q = db.selectFrom('knowledge_articles').selectAll().where('workspace_id', '=', workspaceId);
  if (options.publishedOnly) q = q.where('published', '=', 1);
  return q.orderBy('title').orderBy('id').execute();
}

export async function countArticles(db: Executor, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('knowledge_articles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateArticleRow(
  db: Executor,
  workspaceId: string,
  id: string,
  patch: Partial<Omit<KnowledgeArticlesTable, 'id' | 'workspace_id' | 'created_at'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('knowledge_articles')
    .set(patch)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteArticleRow(db: Executor, workspaceId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('knowledge_articles')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function readKnowledgeVersion(db: Executor, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('knowledge_versions')
    .select('version')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row ? Number(row.version) : 0;
}

/** Called inside the transaction that changes an article, so the version and the rows move together. */
export async function bumpKnowledgeVersion(db: Executor, workspaceId: string): Promise<void> {
  await db
    .insertInto('knowledge_versions')
    .values({ workspace_id: workspaceId, version: 1 })
    .onConflict((oc) =>
      oc.column('workspace_id').doUpdateSet((eb) => ({ version: eb('knowledge_versions.version', '+', 1) })),
    )
    .execute();
}
