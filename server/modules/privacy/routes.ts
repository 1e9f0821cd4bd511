import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import {
  ConversationPatch,
  Erasure,
  VisitorExport,
  VisitorLookupBody,
  VisitorProfile,
  VisitorProfilePatch,
  VisitorSelfProfileBody,
} from '../../../protocol/data-protection.js';
import type { Permission } from '../../../protocol/permissions.js';
import { ItemsOf, NoContent } from '../../../protocol/responses.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import type { Agent } from '../auth/agent.js';
import { closeConversation } from '../conversations/close-conversation.js';
import { noteRoutes } from '../conversations/note-routes.js';
import { mayAccessVisitor, scopeOfAgent, scopeOfRequest } from '../handoff/scope.js';
import { retentionRoutes } from '../retention/routes.js';
import { findVisitorsByEmail } from '../visitors/find-visitors-by-email.js';
import { getVisitorProfile } from '../visitors/get-visitor-profile.js';
import { setVisitorProfile } from '../visitors/set-visitor-profile.js';
import { visitorOfRequest } from '../visitors/visitor-of-request.js';
import { eraseVisitor } from './erase-visitor.js';
import { exportVisitor } from './export-visitor.js';
import { viewerOf, viewProfile } from './views.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const VisitorParams = Type.Object({ workspaceId: Id, visitorId: Id });
type VisitorParams = Static<typeof VisitorParams>;
const ConversationParams = Type.Object({ workspaceId: Id, conversationId: Id });

/** Visitor data, erasure, export, notes, retention and archives. See docs/PROTOCOL.md §2.12–2.14. */
export async function dataProtectionRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId/visitors';
  const member = (permission: Permission) => ({ access: { kind: 'member', permission } }) as const;
  const profileOf = (params: VisitorParams) => getVisitorProfile({ db: app.db, vault: app.vault, ...params });

  // A POST body, not a query string: an email in a URL would end up in access logs.
  app.post(
    `${base}/lookup`,
    {
      schema: {
        params: WorkspaceParams,
        body: VisitorLookupBody,
        response: { 200: ItemsOf(VisitorProfile) },
      },
      config: member('personal-data.read'),
    },
    async (request) => {
      const { workspaceId } = request.params;
      const ids = await findVisitorsByEmail({
        db: app.db,
        vault: app.vault,
        workspaceId,
        email: request.body.email,
      });
      return { items: await Promise.all(ids.map((visitorId) => profileOf({ workspaceId, visitorId }))) };
    },
  );

  // Operators only reach visitors of conversations that are theirs (assigned, or queued for them).
  const confine = async (request: { agent: Agent | null; params: VisitorParams }) => {
    if (
      request.agent &&
      !(await mayAccessVisitor(app.db, await scopeOfAgent(app.db, request.agent), request.params.visitorId))
    )
      throw new AppError('visitor_not_found');
  };

  app.get(
    `${base}/:visitorId`,
    {
      schema: { params: VisitorParams, response: { 200: VisitorProfile } },
      config: member('conversations.read'),
    },
    async (request) => {
      await confine(request);
      return viewProfile(await profileOf(request.params), viewerOf(request.agent, request.apiToken));
    },
  );

  app.patch(
    `${base}/:visitorId`,
    {
      schema: { params: VisitorParams, body: VisitorProfilePatch, response: { 200: VisitorProfile } },
      config: member('conversations.reply'),
    },
    async (request) => {
      await confine(request);
      await setVisitorProfile({ db: app.db, vault: app.vault, ...request.params, patch: request.body });
      return viewProfile(await profileOf(request.params), viewerOf(request.agent, request.apiToken));
    },
  );

  app.get(
    `${base}/:visitorId/export`,
    {
      schema: { params: VisitorParams, response: { 200: VisitorExport } },
      config: member('visitors.export'),
    },
    async (request) =>
      exportVisitor({
        db: app.db,
        vault: app.vault,
        ...request.params,
        actorUserId: (request.agent as Agent).userId,
      }),
  );

  app.delete(
    `${base}/:visitorId`,
    {
      schema: { params: VisitorParams, body: EmptyBody, response: { 200: Erasure } },
      config: { access: { kind: 'member', permission: 'visitors.erase', tokenScope: 'visitors:erase' } },
    },
    async (request) =>
      eraseVisitor({
        db: app.db,
        dialect: app.dbDialect,
        vault: app.vault,
        pubsub: app.pubsub,
        ...request.params,
        actorUserId: request.agent?.userId ?? null,
        actorTokenId: request.apiToken?.tokenId ?? null,
        via: request.apiToken ? 'api' : 'dashboard',
      }),
  );

  app.patch(
    '/api/v1/workspaces/:workspaceId/conversations/:conversationId',
    {
      schema: { params: ConversationParams, body: ConversationPatch, response: { 204: NoContent } },
      config: member('conversations.reply'),
    },
    async (request, reply) => {
      await closeConversation({
        db: app.db,
        vault: app.vault,
        pubsub: app.pubsub,
        ...request.params,
        scope: await scopeOfRequest(app.db, request, request.params.workspaceId),
        actor: request.agent
          ? { kind: 'agent', id: request.agent.userId }
          : { kind: 'api', id: request.apiToken?.tokenId ?? null },
      });
      return reply.code(204).send();
    },
  );

  // The widget (or the embedding site) records what the visitor gave, with the visitor's credential.
  app.put(
    '/api/v1/visitor/profile',
    {
      schema: { body: VisitorSelfProfileBody, response: { 200: VisitorProfile } },
      config: { access: { kind: 'visitor' } },
    },
    async (request) => {
      const { widgetId, ...patch } = request.body;
      const visitor = await visitorOfRequest(app, request, widgetId);
      await setVisitorProfile({ db: app.db, vault: app.vault, ...visitor, patch });
      return profileOf(visitor);
    },
  );

  await app.register(noteRoutes);
  await app.register(retentionRoutes);
}
