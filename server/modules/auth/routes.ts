import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LoginBody, Me, SetupBody, SetupStatus } from '../../../protocol/api.js';
import { EmptyBody } from '../../../protocol/common.js';
import { NoContent } from '../../../protocol/responses.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import type { Agent } from './agent.js';
import { completeSetup } from './complete-setup.js';
import { clearSessionCookie, setSessionCookie } from './create-session.js';
import { endSession } from './end-session.js';
import { login } from './login.js';
import { presentMe } from './present-me.js';
import { setupStatus } from './setup-status.js';

export async function authRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const client = (request: FastifyRequest) => ({
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
  });
  const requireAgent = (request: FastifyRequest): Agent => {
    if (!request.agent) throw new AppError('unauthenticated');
    return request.agent;
  };

  app.get(
    '/api/v1/setup',
    { schema: { response: { 200: SetupStatus } }, config: { access: { kind: 'public' } } },
    async () => setupStatus({ db: app.db }),
  );

  app.post(
    '/api/v1/setup',
    { schema: { body: SetupBody, response: { 201: Me } }, config: { access: { kind: 'public' } } },
    async (request, reply) => {
      const { agent, session } = await completeSetup({
        db: app.db,
        config: app.config,
        body: request.body,
        ...client(request),
      });
      setSessionCookie(reply, session.token, session.maxAgeSeconds);
      return reply.code(201).send(await presentMe(app.db, agent));
    },
  );

  app.post(
    '/api/v1/auth/login',
    { schema: { body: LoginBody, response: { 200: Me } }, config: { access: { kind: 'public' } } },
    async (request, reply) => {
      const { agent, session } = await login({
        db: app.db,
        config: app.config,
        ring: app.vault.ring,
        pubsub: app.pubsub,
        ...request.body,
        ...client(request),
        log: request.log,
      });
      setSessionCookie(reply, session.token, session.maxAgeSeconds);
      return presentMe(app.db, agent);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { body: EmptyBody, response: { 204: NoContent } }, config: { access: { kind: 'signed-in' } } },
    async (request, reply) => {
      await endSession({ db: app.db, pubsub: app.pubsub, sessionId: requireAgent(request).sessionId });
      clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/auth/me',
    { schema: { response: { 200: Me } }, config: { access: { kind: 'signed-in' } } },
    async (request) => presentMe(app.db, requireAgent(request)),
  );
}
