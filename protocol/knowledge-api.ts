import { type Static, Type } from '@sinclair/typebox';
import { Id, IsoTime } from './common.js';
import { LANGUAGES } from './languages.js';
import { Closed } from './responses.js';

/** Knowledge base: articles and Q&A pairs the bot answers from. See docs/PROTOCOL.md. */
export const KNOWLEDGE_LIMITS = {
  maxTitleChars: 200,
  maxBodyChars: 4000,
  maxQuestions: 20,
  maxQuestionChars: 300,
  maxTags: 10,
  maxTagChars: 40,
  maxArticles: 2000,
  maxQueryChars: 300,
  maxResults: 20,
} as const;

/**
 * An article's language: one the widget speaks (protocol/languages.ts), or `other` (any visitor may
 * get it, but only when no article in their language answers). en, fr, de and es have their own
 * normalization (stop words, stemming); the rest get the neutral one.
 */
export const KNOWLEDGE_LANGUAGES = [...LANGUAGES, 'other'] as const;
export const KnowledgeLanguage = Type.Union(KNOWLEDGE_LANGUAGES.map((l) => Type.Literal(l)));
export type KnowledgeLanguage = (typeof KNOWLEDGE_LANGUAGES)[number];

const L = KNOWLEDGE_LIMITS;
export const ArticleBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: L.maxTitleChars }),
    body: Type.String({ minLength: 1, maxLength: L.maxBodyChars }),
    questions: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: L.maxQuestionChars }), { maxItems: L.maxQuestions }),
    ),
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: L.maxTagChars }), { maxItems: L.maxTags }),
    ),
    language: Type.Optional(KnowledgeLanguage),
    published: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ArticleBody = Static<typeof ArticleBody>;
export const ArticlePatch = Type.Partial(ArticleBody, { additionalProperties: false });
export type ArticlePatch = Static<typeof ArticlePatch>;

export const Article = Closed({
  id: Id,
  title: Type.String(),
  body: Type.String(),
  questions: Type.Array(Type.String()),
  tags: Type.Array(Type.String()),
  language: KnowledgeLanguage,
  published: Type.Boolean(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Article = Static<typeof Article>;

export const KnowledgeSearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: L.maxQueryChars }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: L.maxResults })),
  },
  { additionalProperties: false },
);

/** `confidence` (0–1) is what a widget's answer threshold is compared with. */
export const KnowledgeHit = Closed({
  article: Article,
  score: Type.Number(),
  confidence: Type.Number(),
});
export type KnowledgeHit = Static<typeof KnowledgeHit>;
