import type { KnowledgeLanguage } from '../../../protocol/knowledge-api.js';
import type { Db, KnowledgeArticlesTable } from '../../platform/db/schema.js';
import { loadKnowledge } from './knowledge-cache.js';

export interface KnowledgeMatch {
  article: KnowledgeArticlesTable;
  score: number;
  confidence: number;
}

/** The published articles that best answer `query`, best first. */
export async function searchKnowledge(options: {
  db: Db;
  workspaceId: string;
  query: string;
  limit: number;
  /** Only articles in these languages; all when absent. */
  languages?: readonly KnowledgeLanguage[] | undefined;
}): Promise<KnowledgeMatch[]> {
  const knowledge = await loadKnowledge(options.db, options.workspaceId);
  const matches: KnowledgeMatch[] = [];
  for (const hit of knowledge.index.search(options.query, options.limit, options.languages)) {
    const article = knowledge.articles.get(hit.id);
    if (article) matches.push({ article, score: hit.score, confidence: hit.confidence });
  }
  return matches;
}
