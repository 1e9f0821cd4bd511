import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Me } from '../../../protocol/api.js';
import { EmptyBody, Id } from '../../../protocol/common.js';
import {
  MfaPolicy,
  MfaStatus,
  RecoveryCodes,
  SecondFactorBody,
  StepUpBody,
  TotpConfirmBody,
  TotpConfirmed,
  TotpEnrollment,
} from '../../../protocol/mfa.js';
import { NoContent } from '../../../protocol/responses.js';
import { typed } from '../../platform/http/typed-routes.js';
import { presentMe } from '../auth/present-me.js';
import { requestAgent, requestClient, setSessionCookie } from '../auth/session-cookie.js';
import { confirmTotpEnrollment } from './confirm-totp-enrollment.js';
import type { FactorContext } from './factor-context.js';
import { getMfaPolicy } from './mfa-policy.js';
import { mfaStatus } from './mfa-status.js';
import { regenerateRecoveryCodes } from './regenerate-recovery-codes.js';
import { removeTotp } from './remove-totp.js';
import { setMfaPolicy } from './set-mfa-policy.js';
import { startTotpEnrollment } from './start-totp-enrollment.js';
import { verifySecondFactorCode } from './verify-second-factor-code.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });

/**
 * TOTP, recovery codes, the second-factor step and the workspace MFA policy. Routes a session owing
 * its second factor or enrollment may reach use access 'signed-in'; the commands decide which stage
 * may do what.
 */
export async function mfaRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const ctx = (request: FastifyRequest): FactorContext => ({
    db: app.db,
    pubsub: app.pubsub,
    config: app.config,
    ring: app.vault.ring,
    agent: requestAgent(request),
    ...requestClient(request),
    log: request.log,
  });
  const signedIn = { access: { kind: 'signed-in' } } as const;
  const agent = { access: { kind: 'agent' } } as const;

  app.get(
    '/api/v1/auth/mfa',
    { schema: { response: { 200: MfaStatus } }, config: signedIn },
    async (request) => mfaStatus(app.db, requestAgent(request)),
  );

  app.post(
    '/api/v1/auth/mfa/verify',
    { schema: { body: SecondFactorBody, response: { 200: Me } }, config: signedIn },
    async (request, reply) => {
      const { agent: next, session } = await verifySecondFactorCode({ ...ctx(request), ...request.body });
      setSessionCookie(reply, session);
      return presentMe(app.db, next);
    },
  );

  app.post(
    '/api/v1/auth/totp/enrollment',
    { schema: { body: EmptyBody, response: { 201: TotpEnrollment } }, config: signedIn },
    async (request, reply) => reply.code(201).send(await startTotpEnrollment(ctx(request))),
  );

  app.post(
    '/api/v1/auth/totp/enrollment/confirm',
    { schema: { body: TotpConfirmBody, response: { 200: TotpConfirmed } }, config: signedIn },
    async (request, reply) => {
      const result = await confirmTotpEnrollment({ ...ctx(request), code: request.body.code });
      if (result.session) setSessionCookie(reply, result.session);
      return { recoveryCodes: result.recoveryCodes, me: await presentMe(app.db, result.agent) };
    },
  );

  app.delete(
    '/api/v1/auth/totp',
    { schema: { body: StepUpBody, response: { 204: NoContent } }, config: agent },
    async (request, reply) => {
      await removeTotp({ ...ctx(request), code: request.body.code });
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/auth/recovery-codes',
    { schema: { body: StepUpBody, response: { 201: RecoveryCodes } }, config: agent },
    async (request, reply) =>
      reply
        .code(201)
        .send({ recoveryCodes: await regenerateRecoveryCodes({ ...ctx(request), code: request.body.code }) }),
  );

  const policyAccess = { access: { kind: 'member', permission: 'security.manage' } } as const;
  app.get(
    '/api/v1/workspaces/:workspaceId/security/mfa-policy',
    { schema: { params: WorkspaceParams, response: { 200: MfaPolicy } }, config: policyAccess },
    async (request) => getMfaPolicy(app.db, requestAgent(request).workspaceId),
  );

  app.put(
    '/api/v1/workspaces/:workspaceId/security/mfa-policy',
    {
      schema: { params: WorkspaceParams, body: MfaPolicy, response: { 200: MfaPolicy } },
      config: policyAccess,
    },
    async (request) => setMfaPolicy({ ...ctx(request), policy: request.body }),
  );
}
