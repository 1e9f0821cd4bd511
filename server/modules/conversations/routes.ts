import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  ListQuery,
  MessagePage,
  MessagePosted,
  MessagesQuery,
  SendMessageBody,
} from '../../../protocol/api.js';
import { Conversation, Id } from '../../../protocol/common.js';
import { LIMITS } from '../../../protocol/limits.js';
import { ItemsOf } from '../../../protocol/responses.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import type { Agent } from '../auth/agent.js';
import { requestAuthor } from '../auth/request-author.js';
import { openMessageRows, openSummaryRows } from '../encryption/message-cipher.js';
import { inScope, scopeOfRequest } from '../handoff/scope.js';
import { viewConversation, viewerOf, viewMessage } from '../privacy/views.js';
import {
  findConversationSummary,
  listConversationSummaries,
  scopeFactsOf,
} from './conversation.repository.js';
import { listMessagesAfter } from './message.repository.js';
import { messageDeps } from './message-plugin.js';
import { postMessage } from './post-message.js';
import { presentMessage } from './presenters.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const ConversationParams = Type.Object({ workspaceId: Id, conversationId: Id });
type ConversationParams = Static<typeof ConversationParams>;

export async function conversationRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId/conversations';
  const read = {
    access: { kind: 'member', permission: 'conversations.read', tokenScope: 'conversations:read' },
  } as const;
  const reply = {
    access: { kind: 'member', permission: 'conversations.reply', tokenScope: 'messages:write' },
  } as const;

  // Operators reach only conversations assigned to them or waiting in their queue (handoff/scope.ts).
  const reachable = async (params: ConversationParams, agent: Agent | null) => {
    const row = await findConversationSummary(app.db, params.workspaceId, params.conversationId);
    if (!row) throw new AppError('conversation_not_found');
    const scope = await scopeOfRequest(app.db, { agent }, params.workspaceId);
    if (!inScope(scopeFactsOf(row), scope)) throw new AppError('conversation_not_found');
    return row;
  };

  app.get(
    base,
    {
      schema: { params: WorkspaceParams, querystring: ListQuery, response: { 200: ItemsOf(Conversation) } },
      config: read,
    },
    async (request) => {
      const rows = await listConversationSummaries(app.db, {
        scope: await scopeOfRequest(app.db, request, request.params.workspaceId),
        workspaceId: request.params.workspaceId,
        status: request.query.status ?? 'open',
        ...(request.query.view ? { view: request.query.view, userId: request.agent?.userId ?? null } : {}),
        ...(request.query.before ? { before: request.query.before } : {}),
        limit: request.query.limit ?? LIMITS.listPageSize,
      });
      const viewer = viewerOf(request.agent, request.apiToken);
      const opened = await openSummaryRows(app.vault, app.db, rows);
      return { items: opened.map((row) => viewConversation(row, viewer)) };
    },
  );

  app.get(
    `${base}/:conversationId`,
    { schema: { params: ConversationParams, response: { 200: Conversation } }, config: read },
    async (request) => {
      const [row] = await openSummaryRows(app.vault, app.db, [
        await reachable(request.params, request.agent as Agent | null),
      ]);
      return viewConversation(row as NonNullable<typeof row>, viewerOf(request.agent, request.apiToken));
    },
  );

  app.get(
    `${base}/:conversationId/messages`,
    {
      schema: { params: ConversationParams, querystring: MessagesQuery, response: { 200: MessagePage } },
      config: read,
    },
    async (request) => {
      const conversation = await reachable(request.params, request.agent as Agent | null);
      const rows = await listMessagesAfter(app.db, {
        conversationId: conversation.id,
        afterSeq: request.query.afterSeq ?? 0,
        limit: request.query.limit ?? LIMITS.replayPageSize,
      });
      const viewer = viewerOf(request.agent, request.apiToken);
      const opened = await openMessageRows(app.vault, app.db, conversation.id, rows);
      return {
        items: opened.map((r) => viewMessage(presentMessage(r), viewer)),
        lastSeq: conversation.last_seq,
      };
    },
  );

  app.post(
    `${base}/:conversationId/messages`,
    {
      schema: {
        params: ConversationParams,
        body: SendMessageBody,
        response: { 200: MessagePosted, 201: MessagePosted },
      },
      config: reply,
    },
    async (request, res) => {
      const conversation = await reachable(request.params, request.agent as Agent | null);
      const result = await postMessage(messageDeps(app), {
        conversationId: conversation.id,
        author: requestAuthor(request),
        clientId: request.body.clientId,
        body: request.body.body,
        ...(request.body.parts ? { structured: { parts: request.body.parts } } : {}),
        ...(request.body.attachmentIds ? { attachmentIds: request.body.attachmentIds } : {}),
      });
      return res
        .code(result.duplicate ? 200 : 201)
        .send({ seq: result.message.seq, createdAt: result.message.created_at, duplicate: result.duplicate });
    },
  );
}
