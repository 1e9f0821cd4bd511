import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import { Closed, NoContent } from '../../../protocol/responses.js';
import {
  BackchannelLogoutBody,
  CallbackQuery,
  CreateOidcProviderBody,
  OidcProvider,
  OidcProviderList,
  ProviderParams,
  Redirect,
  SignInOptions,
  SignInOptionsQuery,
  SsoSettings,
  SsoSettingsBody,
  StartParams,
  UpdateOidcProviderBody,
} from '../../../protocol/sso.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import { setSessionCookie } from '../auth/create-session.js';
import { backchannelLogout } from './backchannel-logout.js';
import { finishOidcSignIn, SignInRefused } from './finish-oidc-sign-in.js';
import { createProvider, deleteProvider, updateProvider } from './manage-providers.js';
import { CALLBACK_PATH, presentProvider } from './present-provider.js';
import { listProviders } from './provider.repository.js';
import { findProviderRecheck, listProviderRechecks } from './recheck.repository.js';
import { signInOptions } from './sign-in-options.js';
import { readSsoOnly, setSsoOnly } from './sso-only.js';
import { SIGN_IN_TTL_MS, startOidcSignIn } from './start-oidc-sign-in.js';

/** Binds a sign-in to the browser that started it. Lax: it must come back on the provider's redirect. */
const BROWSER_COOKIE = '__Host-parley_oidc';
const BROWSER_COOKIE_OPTIONS = { path: '/', httpOnly: true, secure: true, sameSite: 'lax' } as const;
const WorkspaceParams = Type.Object({ workspaceId: Id }, { additionalProperties: false });
const Empty = Closed({});

/**
 * Company sign-in: the public sign-in flow (options by email domain, start, callback, the provider's
 * back-channel logout) and the administrators' provider settings (security.manage, audited).
 */
export async function ssoRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  // Back-channel logout tokens arrive as a form post from the provider's server; only here.
  root.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 16 * 1024 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  const manage = { access: { kind: 'member', permission: 'security.manage' } } as const;
  const actor = (request: FastifyRequest, workspaceId: string) => {
    const agent = request.agent;
    if (!agent) throw new AppError('unauthenticated');
    return {
      db: app.db,
      ring: app.vault.ring,
      config: app.config,
      workspaceId,
      actorId: agent.userId,
      ip: request.ip,
    };
  };
  const toLogin = (reply: FastifyReply, reason: string) =>
    reply.redirect(`/login?sso_error=${encodeURIComponent(reason)}`, 302);

  app.get(
    '/api/v1/auth/oidc/options',
    {
      schema: { querystring: SignInOptionsQuery, response: { 200: SignInOptions } },
      config: { access: { kind: 'public' } },
    },
    async (request) => signInOptions({ db: app.db, email: request.query.email }),
  );

  app.get(
    '/api/v1/auth/oidc/:providerId/start',
    { schema: { params: StartParams, response: { 302: Redirect } }, config: { access: { kind: 'public' } } },
    async (request, reply) => {
      try {
        const { location, browserSecret } = await startOidcSignIn({
          db: app.db,
          ring: app.vault.ring,
          config: app.config,
          providerId: request.params.providerId,
        });
        reply.setCookie(BROWSER_COOKIE, browserSecret, {
          ...BROWSER_COOKIE_OPTIONS,
          maxAge: SIGN_IN_TTL_MS / 1000,
        });
        return reply.redirect(location, 302);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return toLogin(reply, err.code === 'oidc_provider_unavailable' ? 'sso_unavailable' : 'sso_failed');
      }
    },
  );

  app.get(
    CALLBACK_PATH,
    {
      schema: { querystring: CallbackQuery, response: { 302: Redirect } },
      config: { access: { kind: 'public' } },
    },
    async (request, reply) => {
      reply.clearCookie(BROWSER_COOKIE, BROWSER_COOKIE_OPTIONS);
      try {
        const { session } = await finishOidcSignIn({
          db: app.db,
          ring: app.vault.ring,
          pubsub: app.pubsub,
          config: app.config,
          callbackUrl: new URL(request.url, app.config.publicUrl),
          query: request.query,
          browserSecret: request.cookies[BROWSER_COOKIE],
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          log: request.log,
        });
        setSessionCookie(reply, session.token, session.maxAgeSeconds);
        // The dashboard's start page sends a session that owes a second factor to it.
        return reply.redirect('/', 302);
      } catch (err) {
        if (!(err instanceof SignInRefused)) throw err;
        return toLogin(reply, err.reason);
      }
    },
  );

  app.post(
    '/api/v1/auth/oidc/:providerId/backchannel-logout',
    {
      schema: { params: StartParams, body: BackchannelLogoutBody, response: { 200: Empty } },
      config: { access: { kind: 'public' }, formPost: true },
    },
    async (request, reply) => {
      await backchannelLogout({
        db: app.db,
        ring: app.vault.ring,
        pubsub: app.pubsub,
        providerId: request.params.providerId,
        logoutToken: request.body.logout_token,
        ip: request.ip,
        log: request.log,
      });
      return reply.code(200).send({});
    },
  );

  const base = '/api/v1/workspaces/:workspaceId/sso';
  app.get(
    `${base}/providers`,
    { schema: { params: WorkspaceParams, response: { 200: OidcProviderList } }, config: manage },
    async (request) => {
      const rechecks = new Map(
        (await listProviderRechecks(app.db, request.params.workspaceId)).map((r) => [r.provider_id, r]),
      );
      return {
        items: (await listProviders(app.db, request.params.workspaceId)).map((p) =>
          presentProvider(p, app.config, rechecks.get(p.id)),
        ),
      };
    },
  );

  app.post(
    `${base}/providers`,
    {
      schema: { params: WorkspaceParams, body: CreateOidcProviderBody, response: { 201: OidcProvider } },
      config: manage,
    },
    async (request, reply) => {
      const row = await createProvider({ ...actor(request, request.params.workspaceId), body: request.body });
      return reply.code(201).send(presentProvider(row, app.config));
    },
  );

  app.put(
    `${base}/providers/:providerId`,
    {
      schema: { params: ProviderParams, body: UpdateOidcProviderBody, response: { 200: OidcProvider } },
      config: manage,
    },
    async (request) =>
      presentProvider(
        await updateProvider({
          ...actor(request, request.params.workspaceId),
          providerId: request.params.providerId,
          body: request.body,
        }),
        app.config,
        await findProviderRecheck(app.db, request.params.providerId),
      ),
  );

  app.delete(
    `${base}/providers/:providerId`,
    { schema: { params: ProviderParams, body: EmptyBody, response: { 204: NoContent } }, config: manage },
    async (request, reply) => {
      await deleteProvider({
        ...actor(request, request.params.workspaceId),
        pubsub: app.pubsub,
        providerId: request.params.providerId,
      });
      return reply.code(204).send();
    },
  );

  app.get(
    `${base}/settings`,
    { schema: { params: WorkspaceParams, response: { 200: SsoSettings } }, config: manage },
    async (request) => ({ ssoOnly: await readSsoOnly(app.db, request.params.workspaceId) }),
  );

  app.put(
    `${base}/settings`,
    {
      schema: { params: WorkspaceParams, body: SsoSettingsBody, response: { 200: SsoSettings } },
      config: manage,
    },
    async (request) => {
      const a = actor(request, request.params.workspaceId);
      await setSsoOnly({
        db: a.db,
        workspaceId: a.workspaceId,
        actorId: a.actorId,
        ip: a.ip,
        ssoOnly: request.body.ssoOnly,
      });
      return { ssoOnly: request.body.ssoOnly };
    },
  );
}
