import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { CHANNEL_LIMITS, type ChannelCreated, type CreateChannelBody } from '../../../protocol/channels.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import { newSecret } from '../../platform/crypto/tokens.js';
import type { Db, Executor } from '../../platform/db/schema.js';
import { isUniqueViolation } from '../../platform/db/unique-violation.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { requireWidget } from '../widgets/lookups.js';
import { presentChannel } from './channel.presenter.js';
import { countChannels, findChannelByInboundAddress, insertChannel } from './channel.repository.js';
import { type ChannelCredentials, sealCredentials, sealWebhookSecret } from './channel-secrets.js';

/**
 * Connects a messaging platform to a workspace, its conversations following one of the workspace's
 * widgets. Parley makes the webhook secret (256 random bits, base64url: Telegram's `secret_token`
 * allows exactly these characters; Meta's verify token any); it is shown this once, with the webhook
 * URL, for the administrator to give the platform. Credentials and secret are sealed under the key ring.
 * Audited, without a secret in the entry.
 */
export async function createChannel(
  deps: {
    db: Db;
    ring: KeyRing;
    publicOrigin: string;
    log: FastifyBaseLogger;
    /** Whether mail can come in (the SMTP listener) and replies go out (PARLEY_SMTP_URL). */
    mailReady?: boolean;
  },
  o: { workspaceId: string; actorId: string; ip: string; body: CreateChannelBody },
): Promise<ChannelCreated> {
  const { body } = o;
  const credentials = credentialsOf(body);
  // An email channel without the listener or an SMTP server would take nothing and answer nobody.
  if (body.kind === 'email' && !deps.mailReady) throw new AppError('email_channel_unavailable');
  await requireWidget(deps.db, o.workspaceId, body.widgetId);
  const id = randomUUID();
  const webhookSecret = newSecret();
  const at = nowIso();
  const row = await inTransaction(deps.db, async (trx) => {
    if ((await countChannels(trx, o.workspaceId)) >= CHANNEL_LIMITS.maxChannelsPerWorkspace)
      throw new AppError('channel_limit');
    const channel = {
      id,
      workspace_id: o.workspaceId,
      widget_id: body.widgetId,
      kind: body.kind,
      name: body.name.trim(),
      credentials: sealCredentials(deps.ring, id, credentials),
      webhook_secret: sealWebhookSecret(deps.ring, id, webhookSecret),
      status: 'active' as const,
      last_error: null,
      last_error_at: null,
      last_seen_at: null,
      created_by: o.actorId,
      created_at: at,
      inbound_address: body.kind === 'email' ? (body.address as string).toLowerCase() : null,
    };
    if (channel.inbound_address && (await findChannelByInboundAddress(trx, channel.inbound_address)))
      throw new AppError('channel_address_taken');
    await insertChannel(trx, channel);
    await recordAuditEvent(
      trx,
      {
        workspaceId: o.workspaceId,
        actor: { type: 'user', id: o.actorId },
        action: 'channel.created',
        target: { type: 'channel', id },
        ip: o.ip,
        details: { kind: body.kind, widgetId: body.widgetId },
      },
      deps.log,
    );
    return channel;
  });
  return { channel: presentChannel(row, deps.publicOrigin), webhookSecret };
}

/** Two administrators adding the same address at once: the unique index decides, as a refusal. */
async function inTransaction<T>(db: Db, run: (trx: Executor) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(run);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('channel_address_taken');
    throw err;
  }
}

/** What each platform needs; anything else sent is not kept. */
function credentialsOf(body: CreateChannelBody): ChannelCredentials {
  // Email needs no credentials: mail reaches Parley's listener, replies leave through PARLEY_SMTP_URL.
  if (body.kind === 'email') {
    if (!body.address) throw new AppError('channel_credentials_missing');
    return {};
  }
  if (body.kind === 'telegram') {
    if (!body.botToken) throw new AppError('channel_credentials_missing');
    return { botToken: body.botToken };
  }
  if (!body.accessToken || !body.appSecret) throw new AppError('channel_credentials_missing');
  if (body.kind === 'whatsapp') {
    if (!body.phoneNumberId) throw new AppError('channel_credentials_missing');
    return { accessToken: body.accessToken, appSecret: body.appSecret, phoneNumberId: body.phoneNumberId };
  }
  return { accessToken: body.accessToken, appSecret: body.appSecret };
}
