import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import {
  EmailStatus,
  FollowUpBody,
  FollowUpPosted,
  TranscriptEmailBody,
  UnsubscribeBody,
} from '../../../protocol/email.js';
import { NoContent } from '../../../protocol/responses.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import type { Agent } from '../auth/agent.js';
import { findConversationSummary, scopeFactsOf } from '../conversations/lookups.js';
import { messageDeps } from '../conversations/message-plugin.js';
import { inScope, scopeOfRequest } from '../handoff/scope.js';
import { visitorOfRequest } from '../visitors/visitor-of-request.js';
import { getEmailStatus } from './email-status.js';
import { emailTranscript } from './email-transcript.js';
import { followUpByEmail } from './follow-up-by-email.js';
import type { EmailDeps } from './mail-conversation.js';
import { unsubscribe } from './unsubscribe.js';

const VisitorParams = Type.Object({ conversationId: Id });
const ConversationParams = Type.Object({ workspaceId: Id, conversationId: Id });

export function emailDeps(app: FastifyInstance): EmailDeps {
  return { db: app.db, vault: app.vault, mailer: app.mailer, config: app.config };
}

/** Replies by email: the visitor's transcript, unsubscribing, and agents' follow-ups (docs/PROTOCOL.md). */
export async function emailRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);

  // Operators reach only conversations in their scope, as everywhere else (handoff/scope.ts).
  const reachable = async (workspaceId: string, conversationId: string, agent: Agent | null) => {
    const row = await findConversationSummary(app.db, workspaceId, conversationId);
    if (!row) throw new AppError('conversation_not_found');
    const scope = await scopeOfRequest(app.db, { agent }, workspaceId);
    if (!inScope(scopeFactsOf(row), scope)) throw new AppError('conversation_not_found');
    return row;
  };

  app.post(
    '/api/v1/visitor/conversations/:conversationId/transcript-email',
    {
      schema: { params: VisitorParams, body: TranscriptEmailBody, response: { 204: NoContent } },
      config: { access: { kind: 'visitor' } },
    },
    async (request, reply) => {
      const visitor = await visitorOfRequest(app, request, request.body.widgetId);
      await emailTranscript(emailDeps(app), { conversationId: request.params.conversationId, visitor });
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/email/unsubscribe',
    {
      schema: { body: UnsubscribeBody, response: { 204: NoContent } },
      config: { access: { kind: 'public' } },
    },
    async (request, reply) => {
      await unsubscribe(app, request.body.token);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/workspaces/:workspaceId/conversations/:conversationId/email',
    {
      schema: { params: ConversationParams, response: { 200: EmailStatus } },
      config: { access: { kind: 'member', permission: 'conversations.read' } },
    },
    async (request) => {
      const { workspaceId, conversationId } = request.params;
      await reachable(workspaceId, conversationId, request.agent as Agent | null);
      return getEmailStatus(emailDeps(app), conversationId);
    },
  );

  app.post(
    '/api/v1/workspaces/:workspaceId/conversations/:conversationId/email-follow-ups',
    {
      schema: {
        params: ConversationParams,
        body: FollowUpBody,
        response: { 200: FollowUpPosted, 201: FollowUpPosted },
      },
      config: { access: { kind: 'member', permission: 'conversations.reply' } },
    },
    async (request, reply) => {
      const { workspaceId, conversationId } = request.params;
      const agent = request.agent as Agent;
      await reachable(workspaceId, conversationId, agent);
      const result = await followUpByEmail(
        { ...emailDeps(app), ...messageDeps(app) },
        {
          workspaceId,
          conversationId,
          agent: { userId: agent.userId, name: agent.name },
          clientId: request.body.clientId,
          body: request.body.body,
          ip: request.ip,
          log: request.log,
        },
      );
      return reply.code(result.duplicate ? 200 : 201).send(result);
    },
  );
}
