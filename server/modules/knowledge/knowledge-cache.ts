import type { Db, KnowledgeArticlesTable } from '../../platform/db/schema.js';
import { listArticles, readKnowledgeVersion } from './knowledge.repository.js';
import { KnowledgeIndex } from './knowledge-index.js';

export interface LoadedKnowledge {
  version: number;
  index: KnowledgeIndex;
  articles: ReadonlyMap<string, KnowledgeArticlesTable>;
}

/** Indexes kept in memory per node; the least recently used workspace's goes first past this. */
const MAX_WORKSPACES = 200;
const cache = new Map<string, LoadedKnowledge>();
const building = new Map<string, Promise<LoadedKnowledge>>();

/**
 * The workspace's index, rebuilt when the knowledge version in the database moved since it was
 * built: an article changed through any node shows up on every node at its next search. The
 * version is read before the articles, so an index is never labelled newer than its contents.
 */
export async function loadKnowledge(db: Db, workspaceId: string): Promise<LoadedKnowledge> {
  const version = await readKnowledgeVersion(db, workspaceId);
  const cached = cache.get(workspaceId);
  if (cached && cached.version === version) {
    cache.delete(workspaceId);
    cache.set(workspaceId, cached);
    return cached;
  }
  const key = `${workspaceId}:${version}`;
  let pending = building.get(key);
  if (!pending) {
    pending = build(db, workspaceId, version).finally(() => building.delete(key));
    building.set(key, pending);
  }
  return pending;
}

async function build(db: Db, workspaceId: string, version: number): Promise<LoadedKnowledge> {
  const rows = await listArticles(db, workspaceId, { publishedOnly: true });
  const loaded: LoadedKnowledge = {
    version,
    index: new KnowledgeIndex(rows),
    articles: new Map(rows.map((r) => [r.id, r])),
  };
  const current = cache.get(workspaceId);
  if (!current || current.version <= version) {
    cache.delete(workspaceId);
    cache.set(workspaceId, loaded);
    if (cache.size > MAX_WORKSPACES) cache.delete(cache.keys().next().value as string);
  }
  return loaded;
}
