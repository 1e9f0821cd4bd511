import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ListQuery, MessagesQuery, SendMessageBody } from '../../../protocol/api.js';
import { Id } from '../../../protocol/common.js';
import { LIMITS } from '../../../protocol/limits.js';
import { AppError } from '../../errors.js';
import { requestAuthor } from '../auth/request-author.js';
import { findConversationSummary, listConversationSummaries } from './conversation.repository.js';
import { publishMessage } from './events.js';
import { listMessagesAfter } from './message.repository.js';
import { presentConversation, presentMessage } from './presenters.js';
import { sendMessage } from './send-message.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const ConversationParams = Type.Object({ workspaceId: Id, conversationId: Id });
type ConversationParams = Static<typeof ConversationParams>;

export async function conversationRoutes(app: FastifyInstance): Promise<void> {
  const base = '/api/v1/workspaces/:workspaceId/conversations';
  const read = {
    access: { kind: 'member', permission: 'conversations.read', tokenScope: 'conversations:read' },
  } as const;
  const reply = {
    access: { kind: 'member', permission: 'conversations.reply', tokenScope: 'messages:write' },
  } as const;

  const inScope = async (params: ConversationParams) => {
    const row = await findConversationSummary(app.db, params.workspaceId, params.conversationId);
    if (!row) throw new AppError('conversation_not_found');
    return row;
  };

  app.get<{ Params: { workspaceId: string }; Querystring: Static<typeof ListQuery> }>(
    base,
    { schema: { params: WorkspaceParams, querystring: ListQuery }, config: read },
    async (request) => {
      const rows = await listConversationSummaries(app.db, {
        workspaceId: request.params.workspaceId,
        status: request.query.status ?? 'open',
        ...(request.query.before ? { before: request.query.before } : {}),
        limit: request.query.limit ?? LIMITS.listPageSize,
      });
      return { items: rows.map(presentConversation) };
    },
  );

  app.get<{ Params: ConversationParams }>(
    `${base}/:conversationId`,
    { schema: { params: ConversationParams }, config: read },
    async (request) => presentConversation(await inScope(request.params)),
  );

  app.get<{ Params: ConversationParams; Querystring: Static<typeof MessagesQuery> }>(
    `${base}/:conversationId/messages`,
    { schema: { params: ConversationParams, querystring: MessagesQuery }, config: read },
    async (request) => {
      const conversation = await inScope(request.params);
      const rows = await listMessagesAfter(app.db, {
        conversationId: conversation.id,
        afterSeq: request.query.afterSeq ?? 0,
        limit: request.query.limit ?? LIMITS.replayPageSize,
      });
      return { items: rows.map(presentMessage), lastSeq: conversation.last_seq };
    },
  );

  app.post<{ Params: ConversationParams; Body: Static<typeof SendMessageBody> }>(
    `${base}/:conversationId/messages`,
    { schema: { params: ConversationParams, body: SendMessageBody }, config: reply },
    async (request, res) => {
      const conversation = await inScope(request.params);
      const result = await sendMessage({
        db: app.db,
        conversationId: conversation.id,
        author: requestAuthor(request),
        clientId: request.body.clientId,
        body: request.body.body,
        ...(request.body.parts ? { structured: { parts: request.body.parts } } : {}),
      });
      if (!result.duplicate) await publishMessage({ db: app.db, pubsub: app.pubsub, result });
      return res
        .code(result.duplicate ? 200 : 201)
        .send({ seq: result.message.seq, createdAt: result.message.created_at, duplicate: result.duplicate });
    },
  );
}
