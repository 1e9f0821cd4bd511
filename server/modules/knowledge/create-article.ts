import { randomUUID } from 'node:crypto';
import type { ArticleBody } from '../../../protocol/knowledge-api.js';
import { KNOWLEDGE_LIMITS } from '../../../protocol/knowledge-api.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db, KnowledgeArticlesTable } from '../../platform/db/schema.js';
import { cleanList } from './article.presenter.js';
import { bumpKnowledgeVersion, countArticles, insertArticle } from './knowledge.repository.js';

/** Creates an article; the workspace's knowledge version moves with it, so every node re-indexes. */
export async function createArticle(options: {
  db: Db;
  workspaceId: string;
  body: ArticleBody;
}): Promise<KnowledgeArticlesTable> {
  const { db, workspaceId, body } = options;
  const at = nowIso();
  const row: KnowledgeArticlesTable = {
    id: randomUUID(),
    workspace_id: workspaceId,
    title: body.title.trim(),
    body: body.body.trim(),
    questions: cleanList(body.questions),
    tags: cleanList(body.tags),
    language: body.language ?? 'en',
    published: body.published === false ? 0 : 1,
    created_at: at,
    updated_at: at,
  };
  await db.transaction().execute(async (trx) => {
    if ((await countArticles(trx, workspaceId)) >= KNOWLEDGE_LIMITS.maxArticles)
      throw new AppError('invalid_request', {
        details: [`A workspace holds at most ${KNOWLEDGE_LIMITS.maxArticles} articles.`],
      });
    await insertArticle(trx, row);
    await bumpKnowledgeVersion(trx, workspaceId);
  });
  return row;
}
