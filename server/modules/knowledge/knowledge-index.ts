import MiniSearch from 'minisearch';
import type { KnowledgeLanguage } from '../../../protocol/knowledge-api.js';
import type { KnowledgeArticlesTable } from '../../platform/db/schema.js';
import { normalizeTerms } from './normalize.js';

interface IndexedDoc {
  id: string;
  language: KnowledgeLanguage;
  title: string;
  questions: string;
  body: string;
  tags: string;
}

export interface IndexHit {
  id: string;
  score: number;
  /** Share of the question's meaningful terms that the article matched (0–1). */
  confidence: number;
}

// Questions an article answers are the best evidence, then its title; the body is long and diffuse.
const BOOST = { questions: 2, title: 2, tags: 1.5, body: 0.7 };
// Fields arrive already normalized (normalize.ts), so MiniSearch only splits them on spaces.
const splitSpaces = (text: string): string[] => text.split(' ').filter(Boolean);

/**
 * One workspace's published articles in a MiniSearch index (BM25 ranking, fuzzy and prefix
 * matching). Each article is normalized with its own language; a question is normalized once per
 * language present and searched among that language's articles.
 */
export class KnowledgeIndex {
  private readonly mini = new MiniSearch<IndexedDoc>({
    fields: ['title', 'questions', 'body', 'tags'],
    storeFields: ['language'],
    tokenize: splitSpaces,
    processTerm: (term) => term,
    searchOptions: { tokenize: splitSpaces, processTerm: (term) => term },
  });
  private readonly languages = new Set<KnowledgeLanguage>();

  constructor(articles: readonly KnowledgeArticlesTable[]) {
    this.mini.addAll(articles.map((a) => this.toDoc(a)));
  }

  get size(): number {
    return this.mini.documentCount;
  }

  /** Among the articles in `only` (a list of languages) when given. */
  search(question: string, limit: number, only?: readonly KnowledgeLanguage[]): IndexHit[] {
    const hits: IndexHit[] = [];
    for (const language of this.languages) {
      if (only && !only.includes(language)) continue;
      const terms = [...new Set(normalizeTerms(language, question))];
      if (terms.length === 0) continue;
      const results = this.mini.search(terms.join(' '), {
        boost: BOOST,
        combineWith: 'OR',
        // Typos in longer words only: "refnud" finds "refund", but "bil" does not find "bag".
        fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
        prefix: (term) => term.length >= 4,
        filter: (r) => r.language === language,
      });
      for (const r of results.slice(0, limit)) {
        hits.push({
          id: String(r.id),
          score: r.score,
          confidence: new Set(r.queryTerms).size / terms.length,
        });
      }
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }

  private toDoc(a: KnowledgeArticlesTable): IndexedDoc {
    const language = a.language as KnowledgeLanguage;
    this.languages.add(language);
    const norm = (text: string) => normalizeTerms(language, text).join(' ');
    return {
      id: a.id,
      language,
      title: norm(a.title),
      questions: norm((JSON.parse(a.questions) as string[]).join('\n')),
      body: norm(a.body),
      tags: norm((JSON.parse(a.tags) as string[]).join(' ')),
    };
  }
}
