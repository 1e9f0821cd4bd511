import { type Static, Type } from '@sinclair/typebox';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import {
  ConversationLabelsList,
  ConversationLabelsQuery,
  LABEL_LIMITS,
  Label,
  LabelBody,
  LabelList,
} from '../../../protocol/labels.js';
import { NoContent } from '../../../protocol/responses.js';
import { AppError } from '../../errors.js';
import { scopeOfRequest } from '../handoff/scope.js';
import { announceLabelCatalogue } from './announce-labels.js';
import { auditLabelChange } from './audit-label.js';
import { removeLabel } from './delete-label.js';
import { presentLabel } from './label.presenter.js';
import { listLabels } from './label.repository.js';
import { labelConversation } from './label-conversation.js';
import { listConversationLabels } from './list-conversation-labels.js';
import { saveLabel } from './save-label.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const LabelParams = Type.Object({ workspaceId: Id, labelId: Id });
const ConversationLabelParams = Type.Object({ workspaceId: Id, conversationId: Id, labelId: Id });
type WorkspaceParams = Static<typeof WorkspaceParams>;
type LabelParams = Static<typeof LabelParams>;
type ConversationLabelParams = Static<typeof ConversationLabelParams>;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Labels: every agent reads them (the inbox shows and filters by them); administrators manage them
 * (labels.manage, audited); whoever may reply to a conversation labels it, within their scope.
 */
export async function labelRoutes(app: FastifyInstance): Promise<void> {
  const base = '/api/v1/workspaces/:workspaceId/labels';
  const read = {
    access: { kind: 'member', permission: 'conversations.read', tokenScope: 'conversations:read' },
  } as const;
  const manage = { access: { kind: 'member', permission: 'labels.manage' } } as const;
  const label = { access: { kind: 'member', permission: 'conversations.reply' } } as const;

  app.get<{ Params: WorkspaceParams }>(
    base,
    { schema: { params: WorkspaceParams, response: { 200: LabelList } }, config: read },
    async (request) => ({ items: (await listLabels(app.db, request.params.workspaceId)).map(presentLabel) }),
  );

  app.post<{ Params: WorkspaceParams; Body: LabelBody }>(
    base,
    { schema: { params: WorkspaceParams, body: LabelBody, response: { 201: Label } }, config: manage },
    async (request, reply) => {
      const { workspaceId } = request.params;
      const created = await saveLabel({
        db: app.db,
        workspaceId,
        input: request.body,
        audit: (trx, labelId) =>
          auditLabelChange(trx, request, { workspaceId, action: 'label.created', labelId }),
      });
      await announceLabelCatalogue({ pubsub: app.pubsub, log: request.log }, workspaceId);
      return reply.code(201).send(created);
    },
  );

  app.put<{ Params: LabelParams; Body: LabelBody }>(
    `${base}/:labelId`,
    { schema: { params: LabelParams, body: LabelBody, response: { 200: Label } }, config: manage },
    async (request) => {
      const { workspaceId, labelId } = request.params;
      const saved = await saveLabel({
        db: app.db,
        workspaceId,
        id: labelId,
        input: request.body,
        audit: (trx) => auditLabelChange(trx, request, { workspaceId, action: 'label.updated', labelId }),
      });
      await announceLabelCatalogue({ pubsub: app.pubsub, log: request.log }, workspaceId);
      return saved;
    },
  );

  app.delete<{ Params: LabelParams }>(
    `${base}/:labelId`,
    { schema: { params: LabelParams, body: EmptyBody, response: { 204: NoContent } }, config: manage },
    async (request, reply) => {
      const { workspaceId, labelId } = request.params;
      await removeLabel({
        db: app.db,
        workspaceId,
        id: labelId,
        audit: (trx) => auditLabelChange(trx, request, { workspaceId, action: 'label.deleted', labelId }),
      });
      await announceLabelCatalogue({ pubsub: app.pubsub, log: request.log }, workspaceId);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: WorkspaceParams; Querystring: Static<typeof ConversationLabelsQuery> }>(
    '/api/v1/workspaces/:workspaceId/conversation-labels',
    {
      schema: {
        params: WorkspaceParams,
        querystring: ConversationLabelsQuery,
        response: { 200: ConversationLabelsList },
      },
      config: read,
    },
    async (request) => {
      const ids = [...new Set(request.query.ids.split(','))];
      if (ids.length > LABEL_LIMITS.maxLookupConversations || ids.some((id) => !ID.test(id)))
        throw new AppError('invalid_request', {
          details: [`ids: up to ${LABEL_LIMITS.maxLookupConversations} conversation ids, comma-separated`],
        });
      const { workspaceId } = request.params;
      return {
        items: await listConversationLabels(app.db, {
          scope: await scopeOfRequest(app.db, request, workspaceId),
          workspaceId,
          conversationIds: ids,
        }),
      };
    },
  );

  const setLabel =
    (on: boolean) =>
    async (
      request: { params: ConversationLabelParams; log: FastifyBaseLogger } & Parameters<
        typeof scopeOfRequest
      >[1],
    ) => {
      const { workspaceId, conversationId, labelId } = request.params;
      await labelConversation({
        db: app.db,
        pubsub: app.pubsub,
        log: request.log,
        scope: await scopeOfRequest(app.db, request, workspaceId),
        workspaceId,
        conversationId,
        labelId,
        on,
        userId: request.agent?.userId ?? null,
      });
    };
  const one = '/api/v1/workspaces/:workspaceId/conversations/:conversationId/labels/:labelId';
  app.put<{ Params: ConversationLabelParams }>(
    one,
    {
      schema: { params: ConversationLabelParams, body: EmptyBody, response: { 204: NoContent } },
      config: label,
    },
    async (request, reply) => {
      await setLabel(true)(request);
      return reply.code(204).send();
    },
  );
  app.delete<{ Params: ConversationLabelParams }>(
    one,
    {
      schema: { params: ConversationLabelParams, body: EmptyBody, response: { 204: NoContent } },
      config: label,
    },
    async (request, reply) => {
      await setLabel(false)(request);
      return reply.code(204).send();
    },
  );
}
