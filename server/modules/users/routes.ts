import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Me } from '../../../protocol/api.js';
import { EmptyBody, Id } from '../../../protocol/common.js';
import { Ended, ItemsOf, NoContent } from '../../../protocol/responses.js';
import { AcceptInviteBody, Invite, InviteBody, Member, MemberPatch } from '../../../protocol/users-api.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { typed } from '../../platform/http/typed-routes.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { Agent } from '../auth/agent.js';
import { setSessionCookie } from '../auth/create-session.js';
import { announceEndedSessions, revokeAllSessions } from '../auth/end-session.js';
import { presentMe } from '../auth/present-me.js';
import { acceptInvite } from './accept-invite.js';
import { deleteMember } from './delete-member.js';
import { listInvites, revokeInvites } from './invite.repository.js';
import { inviteUser } from './invite-user.js';
import { presentInvite, presentMember } from './presenters.js';
import { updateMember } from './update-member.js';
import { findMember, listMembers } from './user.repository.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const UserParams = Type.Object({ workspaceId: Id, userId: Id });
const InviteParams = Type.Object({ workspaceId: Id, inviteId: Id });

/** Team management: members, invitations, ending a member's sessions. */
export async function userRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId';
  const agentOf = (request: FastifyRequest): Agent => {
    if (!request.agent) throw new AppError('unauthenticated');
    return request.agent;
  };

  app.get(
    `${base}/users`,
    {
      schema: { params: WorkspaceParams, response: { 200: ItemsOf(Member) } },
      config: { access: { kind: 'member', permission: 'users.read' } },
    },
    async (request) => ({
      items: (await listMembers(app.db, request.params.workspaceId)).map(presentMember),
    }),
  );

  app.patch(
    `${base}/users/:userId`,
    {
      schema: { params: UserParams, body: MemberPatch, response: { 204: NoContent } },
      config: { access: { kind: 'member', permission: 'users.manage' } },
    },
    async (request, reply) => {
      await updateMember({
        db: app.db,
        pubsub: app.pubsub,
        actor: agentOf(request),
        userId: request.params.userId,
        patch: request.body,
        ip: request.ip,
        log: request.log,
      });
      return reply.code(204).send();
    },
  );

  app.delete(
    `${base}/users/:userId`,
    {
      schema: { params: UserParams, body: EmptyBody, response: { 204: NoContent } },
      config: { access: { kind: 'member', permission: 'users.manage' } },
    },
    async (request, reply) => {
      await deleteMember({
        db: app.db,
        pubsub: app.pubsub,
        actor: agentOf(request),
        userId: request.params.userId,
        ip: request.ip,
        log: request.log,
      });
      return reply.code(204).send();
    },
  );

  app.post(
    `${base}/users/:userId/sessions/end`,
    {
      schema: { params: UserParams, body: EmptyBody, response: { 200: Ended } },
      config: { access: { kind: 'member', permission: 'users.manage' } },
    },
    async (request) => {
      const actor = agentOf(request);
      const member = await findMember(app.db, actor.workspaceId, request.params.userId);
      if (!member) throw new AppError('user_not_found');
      const ended = await app.db.transaction().execute(async (trx) => {
        const ids = await revokeAllSessions({ db: trx, userId: member.id });
        await recordAuditEvent(
          trx,
          {
            workspaceId: actor.workspaceId,
            actor: { type: 'user', id: actor.userId },
            action: 'user.sessions.ended',
            target: { type: 'user', id: member.id },
            ip: request.ip,
            details: { sessionsEnded: ids.length },
          },
          request.log,
        );
        return ids;
      });
      await announceEndedSessions(app.pubsub, ended);
      return { ended: ended.length };
    },
  );

  app.get(
    `${base}/invites`,
    {
      schema: { params: WorkspaceParams, response: { 200: ItemsOf(Invite) } },
      config: { access: { kind: 'member', permission: 'users.manage' } },
    },
    async (request) => {
      const now = nowIso();
      return {
        items: (await listInvites(app.db, request.params.workspaceId)).map((r) => presentInvite(r, now)),
      };
    },
  );

  app.post(
    `${base}/invites`,
    {
      schema: { params: WorkspaceParams, body: InviteBody, response: { 201: Invite } },
      config: { access: { kind: 'member', permission: 'users.manage' } },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const { invite, delivery } = await inviteUser({
        db: app.db,
        mailer: app.mailer,
        config: app.config,
        workspaceId: actor.workspaceId,
        invitedBy: actor.userId,
        email: request.body.email,
        role: request.body.role,
        ip: request.ip,
        log: request.log,
      });
      return reply.code(201).send(presentInvite(invite, nowIso(), delivery));
    },
  );

  app.delete(
    `${base}/invites/:inviteId`,
    {
      schema: { params: InviteParams, body: EmptyBody, response: { 204: NoContent } },
      config: { access: { kind: 'member', permission: 'users.manage' } },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const revoked = await app.db.transaction().execute(async (trx) => {
        const n = await revokeInvites(trx, actor.workspaceId, { id: request.params.inviteId }, nowIso());
        if (n > 0)
          await recordAuditEvent(
            trx,
            {
              workspaceId: actor.workspaceId,
              actor: { type: 'user', id: actor.userId },
              action: 'user.invite.revoked',
              target: { type: 'invite', id: request.params.inviteId },
              ip: request.ip,
            },
            request.log,
          );
        return n;
      });
      if (revoked === 0) throw new AppError('not_found');
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/invites/accept',
    { schema: { body: AcceptInviteBody, response: { 201: Me } }, config: { access: { kind: 'public' } } },
    async (request, reply) => {
      const { agent, session } = await acceptInvite({
        db: app.db,
        config: app.config,
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        log: request.log,
      });
      setSessionCookie(reply, session.token, session.maxAgeSeconds);
      return reply.code(201).send(await presentMe(app.db, agent));
    },
  );
}
