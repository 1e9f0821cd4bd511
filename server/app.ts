import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { LIMITS } from '../protocol/limits.js';
import type { Config } from './config.js';
import { registerSecurityAlerts } from './modules/alerts/register-alerts.js';
import { securityAlertRoutes } from './modules/alerts/routes.js';
import { apiTokenRoutes } from './modules/api-tokens/routes.js';
import { createAttachmentStore } from './modules/attachments/attachment-store.js';
import { attachmentRoutes } from './modules/attachments/routes.js';
import { attachmentSettingsRoutes } from './modules/attachments/settings-routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { registerAccessControl } from './modules/auth/access-control.js';
import { accountRoutes } from './modules/auth/account-routes.js';
import { authRoutes } from './modules/auth/routes.js';
import { registerBotTurns } from './modules/bot/bot-turns.js';
import { flowRoutes } from './modules/bot/routes.js';
import { cannedResponseRoutes } from './modules/canned-responses/routes.js';
import { registerChannels } from './modules/channels/channel-plugin.js';
import { channelRoutes, channelWebhookRoutes } from './modules/channels/routes.js';
import { registerLifecycle } from './modules/conversations/lifecycle-plugin.js';
import { registerMessageStream } from './modules/conversations/message-plugin.js';
import { pageRoute } from './modules/conversations/page-route.js';
import { readStateRoute } from './modules/conversations/read-state-route.js';
import { conversationRoutes } from './modules/conversations/routes.js';
import { conversationStatusRoutes } from './modules/conversations/status-routes.js';
import { directoryRoutes } from './modules/directory/routes.js';
import { registerEmail } from './modules/email/email-plugin.js';
import { emailRoutes } from './modules/email/routes.js';
import { createVault } from './modules/encryption/create-vault.js';
import { measureKeyRing } from './modules/encryption/measure-key-ring.js';
import type { Vault } from './modules/encryption/vault.js';
import { measureQueue } from './modules/handoff/measure-queue.js';
import { presenceRoute } from './modules/handoff/presence-route.js';
import { ratingRoute } from './modules/handoff/rating-route.js';
import { resolutionCodeRoutes } from './modules/handoff/resolution-code-routes.js';
import { resolutionSettingsRoutes } from './modules/handoff/resolution-settings-routes.js';
import { serviceRoutes } from './modules/handoff/routes.js';
import { teamRoutes } from './modules/handoff/team-routes.js';
import { registerQueryTracking } from './modules/handoff/track-query-activity.js';
import { knowledgeRoutes } from './modules/knowledge/routes.js';
import { labelRoutes } from './modules/labels/routes.js';
import { leadRoutes } from './modules/leads/routes.js';
import { mfaRoutes } from './modules/mfa/routes.js';
import { notificationRoutes } from './modules/notifications/routes.js';
import { passkeyRoutes } from './modules/passkeys/routes.js';
import { dataProtectionRoutes } from './modules/privacy/routes.js';
import type { Hub } from './modules/realtime/hub.js';
import { realtimeRoutes } from './modules/realtime/routes.js';
import { labelReportRoute } from './modules/reports/label-report-route.js';
import { reportRoutes } from './modules/reports/routes.js';
import { seriesReportRoutes } from './modules/reports/series-route.js';
import { searchRoutes } from './modules/search/routes.js';
import { registerSearch } from './modules/search/search-plugin.js';
import { ssoRoutes } from './modules/sso/routes.js';
import { outboxRoutes } from './modules/users/outbox-routes.js';
import { userRoutes } from './modules/users/routes.js';
import { visitorContextRoutes } from './modules/visitors/context-routes.js';
import { visitorRoutes } from './modules/visitors/routes.js';
import { workspaceVisitorRoutes } from './modules/visitors/workspace-visitor-routes.js';
import { brandingRoutes } from './modules/widgets/branding-routes.js';
import { widgetFrameRoute } from './modules/widgets/frame-route.js';
import { identitySecretRoutes } from './modules/widgets/identity-secret-routes.js';
import { prechatRoutes } from './modules/widgets/prechat-routes.js';
import { proactiveRoutes } from './modules/widgets/proactive-routes.js';
import { widgetRoutes } from './modules/widgets/routes.js';
import type { DbHandle } from './platform/db/create-db.js';
import './platform/fastify-types.js';
import { registerAdminAllowList } from './platform/http/admin-allowlist.js';
import { clientErrorHandler } from './platform/http/client-error.js';
import { registerErrorHandler } from './platform/http/error-handler.js';
import { frameworkErrorHandler, MAX_PARAM_LENGTH } from './platform/http/framework-errors.js';
import { healthRoutes } from './platform/http/health-routes.js';
import { registerOriginGuard } from './platform/http/origin-guard.js';
import { createRefusalEvents } from './platform/http/refusal-events.js';
import { registerRequestLimits } from './platform/http/request-limits.js';
import { registerResponseCheck, responseSerializerCompiler } from './platform/http/response-schemas.js';
import { registerSecurityHeaders } from './platform/http/security-headers.js';
import { securityTxtRoute } from './platform/http/security-txt.js';
import { type BuiltAssets, loadBuiltAssets, staticRoutes } from './platform/http/static-routes.js';
import { tlsServerOptions } from './platform/http/tls-options.js';
import { typeboxValidatorCompiler } from './platform/http/validator.js';
import { registerWsConnectionLimit } from './platform/http/ws-connection-limit.js';
import { createMailer, type Mailer } from './platform/mail/mailer.js';
import { metricsRoutes } from './platform/metrics/metrics-routes.js';
import { createMetrics, type Metrics } from './platform/metrics/registry.js';
import type { PubSub } from './platform/pubsub/pubsub.js';
import { createMemoryCounters, createRedisCounters } from './platform/pubsub/shared-counters.js';

export interface AppDeps {
  config: Config;
  db: DbHandle;
  pubsub: PubSub;
  assets?: BuiltAssets;
  logStream?: DestinationStream;
  heartbeatIntervalMs?: number;
  /**
   * How long a request may take to arrive in full (30 s). A test that proves a stalled upload is cut
   * off sets a shorter one.
   */
  requestTimeoutMs?: number;
  mailer?: Mailer;
  /** Envelope encryption; built from the configured key ring when not given. */
  vault?: Vault;
  /** Built from config.metrics when not given (main.ts builds it first, to count database errors). */
  metrics?: Metrics;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** Builds the Fastify instance with every plugin and module. It never listens; main.ts does. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const requestTimeout = deps.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  // Node enforces requestTimeout only up to headersTimeout (60 s by default, and Fastify sets only the
  // former), and looks for requests over their time every 30 s: without these two, an upload that
  // stalls half way held its connection for up to 90 s instead of 30 (abandoned-upload.test.ts).
  const timeouts = {
    headersTimeout: requestTimeout,
    connectionsCheckingInterval: Math.max(50, Math.min(5_000, requestTimeout / 4)),
  };
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["sec-websocket-protocol"]',
          'body',
          'password',
        ],
        censor: '[redacted]',
      },
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    bodyLimit: 64 * 1024,
    // A request (an upload's body included) that has not arrived in full by then is answered 408 and
    // its connection closed: a client that stalls half way holds nothing for longer.
    requestTimeout,
    return503OnClosing: true,
    clientErrorHandler: clientErrorHandler(config),
    frameworkErrors: frameworkErrorHandler(config),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // A request without Host reaches the Host check (421 with the stable shape and every header)
    // instead of Node's bare 400.
    ...(config.tls
      ? {
          https: {
            ...tlsServerOptions(config.tls, config.clientCert.requestFromTls),
            requireHostHeader: false,
            ...timeouts,
          },
        }
      : { http: { requireHostHeader: false, ...timeouts } }),
  }) as unknown as FastifyInstance;

  app.decorate('config', config);
  const metrics = deps.metrics ?? createMetrics({ enabled: config.metrics !== null });
  app.decorate('metrics', metrics);
  app.addHook('onClose', async () => metrics.close());
  app.decorate('db', deps.db.db);
  app.decorate('dbDialect', deps.db.dialect);
  app.decorate('pubsub', deps.pubsub);
  const vault = deps.vault ?? createVault(config);
  app.decorate('vault', vault);
  app.decorate('attachmentStore', createAttachmentStore(config));
  const mailer = deps.mailer ?? createMailer(config, deps.db.db, vault.ring);
  app.decorate('mailer', mailer);
  app.addHook('onClose', async () => mailer.close());
  // The message's way (docs/ARCHITECTURE.md): one command, and the modules that subscribe to it.
  const stream = registerMessageStream(app, randomUUID().slice(0, 8));
  registerQueryTracking(stream);
  const searchIndexer = registerSearch(app, stream);
  registerLifecycle(app, stream);
  registerEmail(app, stream);
  registerChannels(app, stream);
  registerBotTurns(stream, {
    db: app.db,
    vault: app.vault,
    pubsub: app.pubsub,
    externalBot: config.externalBot,
  });
  // Before the error handler, which reports refusals (refusal-events.ts) to the security alerts.
  app.decorate('refusals', createRefusalEvents(config.publicOrigin));
  const counters = config.redisUrl
    ? await createRedisCounters({
        url: config.redisUrl,
        nameSpace: `parley:alerts:${config.publicHost}:`,
        onError: (err) =>
          app.log.warn({ err: { message: (err as Error).message } }, 'shared counter store error'),
      })
    : createMemoryCounters();
  app.decorate('sharedCounters', counters);
  app.addHook('onClose', async () => counters.close());
  app.setValidatorCompiler(typeboxValidatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  registerErrorHandler(app);
  registerResponseCheck(app);
  registerSecurityHeaders(app, config);
  registerOriginGuard(app, config);
  await app.register(cookie);
  // Limits and the admin allow-list run before access control, so refused callers cost no lookups.
  await registerRequestLimits(app, config);
  registerWsConnectionLimit(app, config);
  registerAdminAllowList(app, config);
  registerAccessControl(app);

  const assets = deps.assets ?? loadBuiltAssets();
  await app.register(authRoutes);
  await app.register(ssoRoutes);
  await app.register(accountRoutes);
  await app.register(userRoutes);
  await app.register(auditRoutes);
  await app.register(outboxRoutes);
  await app.register(mfaRoutes);
  await app.register(passkeyRoutes);
  await app.register(widgetRoutes);
  await app.register(brandingRoutes);
  await app.register(prechatRoutes);
  await app.register(proactiveRoutes);
  await app.register(conversationRoutes);
  await app.register(readStateRoute);
  await app.register(notificationRoutes);
  await app.register(presenceRoute);
  await app.register(knowledgeRoutes);
  await app.register(flowRoutes);
  await app.register(visitorRoutes);
  await app.register(apiTokenRoutes);
  await app.register(directoryRoutes);
  await app.register(identitySecretRoutes);
  await app.register(workspaceVisitorRoutes);
  await app.register(dataProtectionRoutes);
  await app.register(visitorContextRoutes);
  await app.register(leadRoutes);
  await app.register(serviceRoutes, {
    heartbeatIntervalMs: deps.heartbeatIntervalMs ?? LIMITS.heartbeatIntervalMs,
  });
  await app.register(resolutionCodeRoutes);
  await app.register(resolutionSettingsRoutes);
  await app.register(conversationStatusRoutes, {
    heartbeatIntervalMs: deps.heartbeatIntervalMs ?? LIMITS.heartbeatIntervalMs,
  });
  await app.register(cannedResponseRoutes);
  await app.register(teamRoutes, {
    heartbeatIntervalMs: deps.heartbeatIntervalMs ?? LIMITS.heartbeatIntervalMs,
  });
  await app.register(ratingRoute);
  await app.register(pageRoute);
  await app.register(reportRoutes);
  await app.register(labelRoutes);
  await app.register(labelReportRoute);
  await app.register(seriesReportRoutes);
  await app.register(searchRoutes, { indexer: searchIndexer });
  await app.register(attachmentRoutes);
  await app.register(attachmentSettingsRoutes);
  await app.register(emailRoutes);
  await app.register(channelRoutes);
  await app.register(channelWebhookRoutes);
  registerSecurityAlerts(app);
  await app.register(securityAlertRoutes);
  // The node's sockets, reachable from the root instance (the realtime routes are encapsulated).
  app.decorate('realtimeHub', null as unknown as Hub);
  await app.register(realtimeRoutes, {
    ...(deps.heartbeatIntervalMs ? { heartbeatIntervalMs: deps.heartbeatIntervalMs } : {}),
    onHub: (hub) => {
      app.realtimeHub = hub;
    },
  });
  await app.register(widgetFrameRoute, { assets });
  await app.register(healthRoutes);
  await app.register(metricsRoutes);
  await app.register(securityTxtRoute);
  metrics.provide({
    openSockets: () => app.realtimeHub.countByKind(),
    queue: () => measureQueue(app.db),
    keyRing: () => measureKeyRing(app.db, app.vault),
  });
  await app.register(staticRoutes, { assets });
  return app;
}
