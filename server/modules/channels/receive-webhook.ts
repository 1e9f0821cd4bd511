import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { ChannelsTable } from '../../platform/db/schema-channels.js';
import type { MessageDeps } from '../conversations/post-message.js';
import { sameSecret, type WebhookRequest } from './adapter.js';
import { adapterOf } from './adapters.js';
import { findChannel, markChannelSeen } from './channel.repository.js';
import { openCredentials, openWebhookSecret } from './channel-secrets.js';
import { receiveChannelMessage } from './receive-channel-message.js';

/**
 * A platform's webhook: verified first, by the platform's documented way (adapter.verify, in
 * constant time over the exact bytes received), and refused with nothing stored and nothing read
 * beyond the channel's own row when it does not verify. Then each customer message it carries goes
 * through receiveChannelMessage, in order; a redelivered event is stored once.
 */
export async function receiveWebhook(
  deps: MessageDeps,
  o: { channelId: string; request: WebhookRequest },
): Promise<{ received: number }> {
  const channel = await findChannel(deps.db, o.channelId);
  if (!channel) throw new AppError('channel_not_found');
  const adapter = adapterOf(channel.kind);
  // An email channel takes mail at Parley's SMTP listener, never a webhook.
  if (!adapter) throw new AppError('channel_not_found');
  const verified = adapter.verify(o.request, {
    webhookSecret: openWebhookSecret(deps.vault.ring, channel.id, channel.webhook_secret),
    credentials: openCredentials(deps.vault.ring, channel.id, channel.credentials),
  });
  if (!verified) throw new AppError('webhook_signature_invalid');
  let body: unknown;
  try {
    body = JSON.parse(o.request.rawBody.toString('utf8'));
  } catch {
    throw new AppError('invalid_json');
  }
  await markChannelSeen(deps.db, channel.id, nowIso());
  let received = 0;
  for (const inbound of adapter.parse(body)) {
    await receiveChannelMessage(deps, { channel, inbound });
    received += 1;
  }
  return { received };
}

/**
 * Meta's subscription handshake: the platform proves it was given this channel's verify token and
 * gets its challenge back. Only Meta's kinds have one; Telegram's webhook is set by its API call.
 */
export async function answerHandshake(
  deps: Pick<MessageDeps, 'db' | 'vault'>,
  o: { channelId: string; mode: string; verifyToken: string; challenge: string },
): Promise<string> {
  const channel: ChannelsTable | undefined = await findChannel(deps.db, o.channelId);
  if (!channel) throw new AppError('channel_not_found');
  if (channel.kind === 'telegram' || channel.kind === 'email' || o.mode !== 'subscribe')
    throw new AppError('webhook_verification_failed');
  const secret = openWebhookSecret(deps.vault.ring, channel.id, channel.webhook_secret);
  if (!sameSecret(o.verifyToken, secret)) throw new AppError('webhook_verification_failed');
  return o.challenge;
}
