import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import {
  Article,
  ArticleBody,
  ArticlePatch,
  KnowledgeHit,
  KnowledgeSearchQuery,
} from '../../../protocol/knowledge-api.js';
import { ItemsOf, NoContent } from '../../../protocol/responses.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { presentArticle } from './article.presenter.js';
import { createArticle } from './create-article.js';
import { deleteArticle } from './delete-article.js';
import { findArticle, listArticles } from './knowledge.repository.js';
import { searchKnowledge } from './search-knowledge.js';
import { updateArticle } from './update-article.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const ArticleParams = Type.Object({ workspaceId: Id, articleId: Id });

/** Knowledge base: every member reads and searches it; administrators write it. */
export async function knowledgeRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId/knowledge';
  const read = { access: { kind: 'member', permission: 'knowledge.read' } } as const;
  const manage = { access: { kind: 'member', permission: 'knowledge.manage' } } as const;

  app.get(
    `${base}/articles`,
    { schema: { params: WorkspaceParams, response: { 200: ItemsOf(Article) } }, config: read },
    async (request) => ({
      items: (await listArticles(app.db, request.params.workspaceId)).map(presentArticle),
    }),
  );

  app.get(
    `${base}/search`,
    {
      schema: {
        params: WorkspaceParams,
        querystring: KnowledgeSearchQuery,
        response: { 200: ItemsOf(KnowledgeHit) },
      },
      config: read,
    },
    async (request) => {
      const matches = await searchKnowledge({
        db: app.db,
        workspaceId: request.params.workspaceId,
        query: request.query.q,
        limit: request.query.limit ?? 5,
      });
      const items: KnowledgeHit[] = matches.map((m) => ({
        article: presentArticle(m.article),
        score: Math.round(m.score * 1000) / 1000,
        confidence: Math.round(m.confidence * 100) / 100,
      }));
      return { items };
    },
  );

  app.post(
    `${base}/articles`,
    { schema: { params: WorkspaceParams, body: ArticleBody, response: { 201: Article } }, config: manage },
    async (request, reply) => {
      const row = await createArticle({
        db: app.db,
        workspaceId: request.params.workspaceId,
        body: request.body,
      });
      await audit(app, request, 'knowledge.article_created', row.id);
      return reply.code(201).send(presentArticle(row));
    },
  );

  app.get(
    `${base}/articles/:articleId`,
    { schema: { params: ArticleParams, response: { 200: Article } }, config: read },
    async (request) => {
      const row = await findArticle(app.db, request.params.workspaceId, request.params.articleId);
      if (!row) throw new AppError('article_not_found');
      return presentArticle(row);
    },
  );

  app.patch(
    `${base}/articles/:articleId`,
    { schema: { params: ArticleParams, body: ArticlePatch, response: { 200: Article } }, config: manage },
    async (request) => {
      const { workspaceId, articleId } = request.params;
      const row = await updateArticle({ db: app.db, workspaceId, articleId, patch: request.body });
      await audit(app, request, 'knowledge.article_updated', row.id);
      return presentArticle(row);
    },
  );

  app.delete(
    `${base}/articles/:articleId`,
    { schema: { params: ArticleParams, body: EmptyBody, response: { 204: NoContent } }, config: manage },
    async (request, reply) => {
      const { workspaceId, articleId } = request.params;
      await deleteArticle({ db: app.db, workspaceId, articleId });
      await audit(app, request, 'knowledge.article_deleted', articleId);
      return reply.code(204).send();
    },
  );
}

/** What the bot tells visitors is the workspace's voice: who changed which article is audited. */
function audit(app: FastifyInstance, request: FastifyRequest, action: string, articleId: string) {
  const agent = request.agent;
  if (!agent) throw new AppError('unauthenticated');
  return recordAuditEvent(
    app.db,
    {
      workspaceId: agent.workspaceId,
      actor: { type: 'user', id: agent.userId },
      action,
      target: { type: 'knowledge_article', id: articleId },
      ip: request.ip,
      details: {},
    },
    request.log,
  );
}
