import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import { Ended, ItemsOf, NoContent, Notice } from '../../../protocol/responses.js';
import {
  ChangePasswordBody,
  PasswordResetBody,
  PasswordResetRequestBody,
  SessionInfo,
} from '../../../protocol/users-api.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { typed } from '../../platform/http/typed-routes.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { Agent } from './agent.js';
import { changePassword } from './change-password.js';
import { completePasswordReset } from './complete-password-reset.js';
import { clearSessionCookie } from './create-session.js';
import { describeDevice } from './describe-device.js';
import { announceEndedSessions, endSession, revokeAllSessions } from './end-session.js';
import { requestPasswordReset } from './request-password-reset.js';
import { findSessionOwner, listLiveSessions } from './session.repository.js';

/** The signed-in user's own account: password, sessions; and the password-reset flow. */
export async function accountRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const agentOf = (request: FastifyRequest): Agent => {
    if (!request.agent) throw new AppError('unauthenticated');
    return request.agent;
  };

  app.post(
    '/api/v1/auth/password-reset',
    {
      schema: { body: PasswordResetRequestBody, response: { 202: Notice } },
      config: { access: { kind: 'public' } },
    },
    async (request, reply) => {
      await requestPasswordReset({
        db: app.db,
        mailer: app.mailer,
        config: app.config,
        email: request.body.email,
        ip: request.ip,
        log: request.log,
      });
      return reply.code(202).send({
        message: 'If an account uses this address, a reset link is on its way. It expires in 30 minutes.',
      });
    },
  );

  app.post(
    '/api/v1/auth/password-reset/complete',
    {
      schema: { body: PasswordResetBody, response: { 204: NoContent } },
      config: { access: { kind: 'public' } },
    },
    async (request, reply) => {
      await completePasswordReset({
        db: app.db,
        pubsub: app.pubsub,
        config: app.config,
        ...request.body,
        ip: request.ip,
        log: request.log,
      });
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      schema: { body: ChangePasswordBody, response: { 204: NoContent } },
      config: { access: { kind: 'agent' } },
    },
    async (request, reply) => {
      await changePassword({
        db: app.db,
        pubsub: app.pubsub,
        config: app.config,
        agent: agentOf(request),
        ...request.body,
        ip: request.ip,
        log: request.log,
      });
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/auth/sessions',
    { schema: { response: { 200: ItemsOf(SessionInfo) } }, config: { access: { kind: 'agent' } } },
    async (request) => {
      const agent = agentOf(request);
      const rows = await listLiveSessions(app.db, agent.userId, nowIso());
      const items: SessionInfo[] = rows.map((r) => ({
        id: r.id,
        current: r.id === agent.sessionId,
        device: describeDevice(r.user_agent),
        ip: r.ip,
        createdAt: r.created_at,
        lastSeenAt: r.last_seen_at,
        expiresAt: r.expires_at,
      }));
      return { items };
    },
  );

  app.delete(
    '/api/v1/auth/sessions/:sessionId',
    {
      schema: { params: Type.Object({ sessionId: Id }), body: EmptyBody, response: { 204: NoContent } },
      config: { access: { kind: 'agent' } },
    },
    async (request, reply) => {
      const agent = agentOf(request);
      const owner = await findSessionOwner(app.db, request.params.sessionId);
      // Someone else's session answers like one that does not exist.
      if (!owner || owner.user_id !== agent.userId || owner.revoked_at) throw new AppError('not_found');
      await endSession({ db: app.db, pubsub: app.pubsub, sessionId: owner.id });
      await recordAuditEvent(
        app.db,
        {
          workspaceId: agent.workspaceId,
          actor: { type: 'user', id: agent.userId },
          action: 'auth.session.revoked',
          target: { type: 'session', id: owner.id },
          ip: request.ip,
        },
        request.log,
      );
      if (owner.id === agent.sessionId) clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );

  /** "Sign out everywhere": every session of the user, this one included. */
  app.post(
    '/api/v1/auth/sessions/end-all',
    { schema: { body: EmptyBody, response: { 200: Ended } }, config: { access: { kind: 'agent' } } },
    async (request, reply) => {
      const agent = agentOf(request);
      const ended = await app.db.transaction().execute(async (trx) => {
        const ids = await revokeAllSessions({ db: trx, userId: agent.userId });
        await recordAuditEvent(
          trx,
          {
            workspaceId: agent.workspaceId,
            actor: { type: 'user', id: agent.userId },
            action: 'auth.sessions.ended_everywhere',
            target: { type: 'user', id: agent.userId },
            ip: request.ip,
            details: { sessionsEnded: ids.length },
          },
          request.log,
        );
        return ids;
      });
      await announceEndedSessions(app.pubsub, ended);
      clearSessionCookie(reply);
      return { ended: ended.length };
    },
  );
}
