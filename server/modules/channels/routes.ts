import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  CHANNEL_LIMITS,
  ChannelCreated,
  ChannelList,
  CreateChannelBody,
  WebhookAccepted,
  WebhookBody,
  WebhookHandshakeQuery,
} from '../../../protocol/channels.js';
import { EmptyBody, Id } from '../../../protocol/common.js';
import { NoContent, Raw } from '../../../protocol/responses.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import { messageDeps } from '../conversations/message-plugin.js';
import { presentChannel } from './channel.presenter.js';
import { listChannels } from './channel.repository.js';
import { createChannel } from './create-channel.js';
import { answerHandshake, receiveWebhook } from './receive-webhook.js';
import { removeChannel } from './remove-channel.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const ChannelParams = Type.Object({ workspaceId: Id, channelId: Id });
const WebhookParams = Type.Object({ channelId: Id });

/** Administrators connect and remove platforms (widgets.manage, audited) and see each one's state. */
export async function channelRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const manage = { access: { kind: 'member', permission: 'widgets.manage' } } as const;
  const base = '/api/v1/workspaces/:workspaceId/channels';
  const actorOf = (agent: { userId: string } | null | undefined) => {
    if (!agent) throw new AppError('unauthenticated');
    return agent.userId;
  };

  app.get(
    base,
    { schema: { params: WorkspaceParams, response: { 200: ChannelList } }, config: manage },
    async (request) => ({
      items: (await listChannels(app.db, request.params.workspaceId)).map((row) =>
        presentChannel(row, app.config.publicOrigin),
      ),
    }),
  );

  app.post(
    base,
    {
      schema: { params: WorkspaceParams, body: CreateChannelBody, response: { 201: ChannelCreated } },
      config: manage,
    },
    async (request, reply) => {
      const created = await createChannel(
        {
          db: app.db,
          ring: app.vault.ring,
          publicOrigin: app.config.publicOrigin,
          log: request.log,
          mailReady: app.config.email.inbound !== null && app.mailer.kind === 'smtp',
        },
        {
          workspaceId: request.params.workspaceId,
          actorId: actorOf(request.agent),
          ip: request.ip,
          body: request.body,
        },
      );
      return reply.code(201).send(created);
    },
  );

  app.delete(
    `${base}/:channelId`,
    { schema: { params: ChannelParams, body: EmptyBody, response: { 204: NoContent } }, config: manage },
    async (request, reply) => {
      await removeChannel(
        { db: app.db, log: request.log },
        {
          workspaceId: request.params.workspaceId,
          channelId: request.params.channelId,
          actorId: actorOf(request.agent),
          ip: request.ip,
        },
      );
      return reply.code(204).send();
    },
  );
}

/**
 * The platforms' webhooks. Public: each request proves itself by the platform's verification
 * (receive-webhook.ts). The body is kept as the exact bytes received, because the signature covers
 * them; this scope's JSON parser hands the route the bytes as text and keeps the buffer.
 */
export async function channelWebhookRoutes(root: FastifyInstance): Promise<void> {
  root.decorateRequest('webhookBody', null);
  root.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: CHANNEL_LIMITS.maxWebhookBytes },
    (request, body, done) => {
      request.webhookBody = body as Buffer;
      done(null, (body as Buffer).toString('utf8'));
    },
  );
  const app = typed(root);
  const path = '/api/v1/channels/:channelId/webhook';

  app.get(
    path,
    {
      schema: {
        params: WebhookParams,
        querystring: WebhookHandshakeQuery,
        response: { 200: Raw('text/plain') },
      },
      config: { access: { kind: 'public' } },
    },
    async (request, reply) => {
      const challenge = await answerHandshake(app, {
        channelId: request.params.channelId,
        mode: request.query['hub.mode'],
        verifyToken: request.query['hub.verify_token'],
        challenge: request.query['hub.challenge'],
      });
      return reply.type('text/plain; charset=utf-8').send(challenge);
    },
  );

  app.post(
    path,
    {
      schema: { params: WebhookParams, body: WebhookBody, response: { 200: WebhookAccepted } },
      config: { access: { kind: 'public' }, platformWebhook: true },
    },
    async (request) => {
      await receiveWebhook(messageDeps(root), {
        channelId: request.params.channelId,
        request: {
          headers: request.headers,
          rawBody: request.webhookBody ?? Buffer.from(request.body, 'utf8'),
        },
      });
      return { ok: true };
    },
  );
}

declare module 'fastify' {
  interface FastifyRequest {
    /** A channel webhook's body as received, for its signature (channelWebhookRoutes only). */
    webhookBody: Buffer | null;
  }
}
