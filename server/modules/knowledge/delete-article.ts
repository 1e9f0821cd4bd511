import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import { bumpKnowledgeVersion, deleteArticleRow } from './knowledge.repository.js';

export async function deleteArticle(options: {
  db: Db;
  workspaceId: string;
  articleId: string;
}): Promise<void> {
  const { db, workspaceId, articleId } = options;
  await db.transaction().execute(async (trx) => {
    if (!(await deleteArticleRow(trx, workspaceId, articleId))) throw new AppError('article_not_found');
    await bumpKnowledgeVersion(trx, workspaceId);
  });
}
