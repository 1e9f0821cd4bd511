import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Me } from '../../../protocol/api.js';
import { EmptyBody, Id } from '../../../protocol/common.js';
import {
  Passkey,
  PasskeyAdded,
  PasskeyAssertionBody,
  PasskeyCreationOptions,
  PasskeyRegistrationBody,
  PasskeyRenameBody,
  PasskeyRequestOptions,
  StepUpBody,
} from '../../../protocol/mfa.js';
import { ItemsOf, NoContent } from '../../../protocol/responses.js';
import { typed } from '../../platform/http/typed-routes.js';
import { presentMe } from '../auth/present-me.js';
import { requestAgent, requestClient, setSessionCookie } from '../auth/session-cookie.js';
import type { FactorContext } from '../mfa/factor-context.js';
import { finishPasskeyRegistration } from './finish-passkey-registration.js';
import { finishPasskeySignIn } from './finish-passkey-sign-in.js';
import { listPasskeys } from './list-passkeys.js';
import { removePasskey } from './remove-passkey.js';
import { renamePasskey } from './rename-passkey.js';
import { startPasskeyRegistration } from './start-passkey-registration.js';
import { startPasskeySecondFactor } from './start-passkey-second-factor.js';
import { startPasskeySignIn } from './start-passkey-sign-in.js';
import { verifyPasskeySecondFactor } from './verify-passkey-second-factor.js';

const PasskeyParams = Type.Object({ passkeyId: Id });

/** Passkeys: passwordless sign-in, the second factor, and the signed-in user's own list. */
export async function passkeyRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = (request: FastifyRequest) => ({
    db: app.db,
    pubsub: app.pubsub,
    config: app.config,
    ring: app.vault.ring,
    ...requestClient(request),
    log: request.log,
  });
  const ctx = (request: FastifyRequest): FactorContext => ({
    ...base(request),
    agent: requestAgent(request),
  });
  const open = { access: { kind: 'public' } } as const;
  const signedIn = { access: { kind: 'signed-in' } } as const;
  const agent = { access: { kind: 'agent' } } as const;

  app.post(
    '/api/v1/auth/passkey/options',
    { schema: { body: EmptyBody, response: { 200: PasskeyRequestOptions } }, config: open },
    async () => startPasskeySignIn({ db: app.db, config: app.config }),
  );

  app.post(
    '/api/v1/auth/passkey/verify',
    { schema: { body: PasskeyAssertionBody, response: { 200: Me } }, config: open },
    async (request, reply) => {
      const { agent: next, session } = await finishPasskeySignIn({ ...base(request), body: request.body });
      setSessionCookie(reply, session);
      return presentMe(app.db, next);
    },
  );

  app.post(
    '/api/v1/auth/mfa/passkey/options',
    { schema: { body: EmptyBody, response: { 200: PasskeyRequestOptions } }, config: signedIn },
    async (request) => startPasskeySecondFactor(ctx(request)),
  );

  app.post(
    '/api/v1/auth/mfa/passkey/verify',
    { schema: { body: PasskeyAssertionBody, response: { 200: Me } }, config: signedIn },
    async (request, reply) => {
      const { agent: next, session } = await verifyPasskeySecondFactor({
        ...ctx(request),
        body: request.body,
      });
      setSessionCookie(reply, session);
      return presentMe(app.db, next);
    },
  );

  app.get(
    '/api/v1/auth/passkeys',
    { schema: { response: { 200: ItemsOf(Passkey) } }, config: agent },
    async (request) => ({ items: await listPasskeys(app.db, requestAgent(request).userId) }),
  );

  app.post(
    '/api/v1/auth/passkeys/registration/options',
    { schema: { body: EmptyBody, response: { 200: PasskeyCreationOptions } }, config: signedIn },
    async (request) => startPasskeyRegistration(ctx(request)),
  );

  app.post(
    '/api/v1/auth/passkeys',
    { schema: { body: PasskeyRegistrationBody, response: { 201: PasskeyAdded } }, config: signedIn },
    async (request, reply) => {
      const result = await finishPasskeyRegistration({ ...ctx(request), body: request.body });
      if (result.session) setSessionCookie(reply, result.session);
      return reply.code(201).send({ passkey: result.passkey, me: await presentMe(app.db, result.agent) });
    },
  );

  app.patch(
    '/api/v1/auth/passkeys/:passkeyId',
    { schema: { params: PasskeyParams, body: PasskeyRenameBody, response: { 200: Passkey } }, config: agent },
    async (request) =>
      renamePasskey({ ...ctx(request), passkeyId: request.params.passkeyId, name: request.body.name }),
  );

  app.delete(
    '/api/v1/auth/passkeys/:passkeyId',
    { schema: { params: PasskeyParams, body: StepUpBody, response: { 204: NoContent } }, config: agent },
    async (request, reply) => {
      await removePasskey({ ...ctx(request), passkeyId: request.params.passkeyId, code: request.body.code });
      return reply.code(204).send();
    },
  );
}
