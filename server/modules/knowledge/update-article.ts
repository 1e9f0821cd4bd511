import type { ArticlePatch } from '../../../protocol/knowledge-api.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db, KnowledgeArticlesTable } from '../../platform/db/schema.js';
import { cleanList } from './article.presenter.js';
import { bumpKnowledgeVersion, findArticle, updateArticleRow } from './knowledge.repository.js';

export async function updateArticle(options: {
  db: Db;
  workspaceId: string;
  articleId: string;
  patch: ArticlePatch;
}): Promise<KnowledgeArticlesTable> {
  const { db, workspaceId, articleId, patch } = options;
  return db.transaction().execute(async (trx) => {
    const changed = await updateArticleRow(trx, workspaceId, articleId, {
      ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
      ...(patch.body !== undefined ? { body: patch.body.trim() } : {}),
      ...(patch.questions !== undefined ? { questions: cleanList(patch.questions) } : {}),
      ...(patch.tags !== undefined ? { tags: cleanList(patch.tags) } : {}),
      ...(patch.language !== undefined ? { language: patch.language } : {}),
      ...(patch.published !== undefined ? { published: patch.published ? 1 : 0 } : {}),
      updated_at: nowIso(),
    });
    if (!changed) throw new AppError('article_not_found');
    await bumpKnowledgeVersion(trx, workspaceId);
    const row = await findArticle(trx, workspaceId, articleId);
    if (!row) throw new AppError('article_not_found');
    return row;
  });
}
