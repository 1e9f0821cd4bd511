import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import {
  ConversationPatch,
  type VisitorProfilePatch as PatchBody,
  VisitorLookupBody,
  VisitorProfilePatch,
  VisitorSelfProfileBody,
} from '../../../protocol/data-protection.js';
import type { Permission } from '../../../protocol/permissions.js';
import { AppError } from '../../errors.js';
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
export async function dataProtectionRoutes(app: FastifyInstance): Promise<void> {
  const base = '/api/v1/workspaces/:workspaceId/visitors';
  const member = (permission: Permission) => ({ access: { kind: 'member', permission } }) as const;
  const profileOf = (params: VisitorParams) => getVisitorProfile({ db: app.db, vault: app.vault, ...params });

  // A POST body, not a query string: an email in a URL would end up in access logs.
  app.post<{ Params: Static<typeof WorkspaceParams>; Body: Static<typeof VisitorLookupBody> }>(
    `${base}/lookup`,
    {
      schema: { params: WorkspaceParams, body: VisitorLookupBody },
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

  app.get<{ Params: VisitorParams }>(
    `${base}/:visitorId`,
    { schema: { params: VisitorParams }, config: member('conversations.read') },
    async (request) => {
      await confine(request);
      return viewProfile(await profileOf(request.params), viewerOf(request.agent, request.apiToken));
    },
  );

  app.patch<{ Params: VisitorParams; Body: PatchBody }>(
    `${base}/:visitorId`,
    { schema: { params: VisitorParams, body: VisitorProfilePatch }, config: member('conversations.reply') },
    async (request) => {
      await confine(request);
      await setVisitorProfile({ db: app.db, vault: app.vault, ...request.params, patch: request.body });
      return viewProfile(await profileOf(request.params), viewerOf(request.agent, request.apiToken));
    },
  );

  app.get<{ Params: VisitorParams }>(
    `${base}/:visitorId/export`,
    { schema: { params: VisitorParams }, config: member('visitors.export') },
    async (request) =>
      exportVisitor({
        db: app.db,
        vault: app.vault,
        ...request.params,
        actorUserId: (request.agent as Agent).userId,
      }),
  );

  app.delete<{ Params: VisitorParams }>(
    `${base}/:visitorId`,
    {
      schema: { params: VisitorParams, body: EmptyBody },
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

  app.patch<{ Params: Static<typeof ConversationParams>; Body: Static<typeof ConversationPatch> }>(
    '/api/v1/workspaces/:workspaceId/conversations/:conversationId',
    {
      schema: { params: ConversationParams, body: ConversationPatch },
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
  app.put<{ Body: Static<typeof VisitorSelfProfileBody> }>(
    '/api/v1/visitor/profile',
    { schema: { body: VisitorSelfProfileBody }, config: { access: { kind: 'visitor' } } },
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
