import type { Article, KnowledgeLanguage } from '../../../protocol/knowledge-api.js';
import type { KnowledgeArticlesTable } from '../../platform/db/schema.js';

export function presentArticle(row: KnowledgeArticlesTable): Article {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    questions: parseList(row.questions),
    tags: parseList(row.tags),
    language: row.language as KnowledgeLanguage,
    published: Number(row.published) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function parseList(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Trimmed, empty entries and repeats dropped: what an editor means by a list of phrases. */
export function cleanList(items: readonly string[] | undefined): string {
  const seen = new Set<string>();
  for (const item of items ?? []) {
    const t = item.replace(/\s+/g, ' ').trim();
    if (t) seen.add(t);
  }
  return JSON.stringify([...seen]);
}
