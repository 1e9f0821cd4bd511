import type { KeyRing } from '../../platform/crypto/key-ring.js';
import { kekOfRingSealed, openWithRing, sealWithRing } from '../../platform/crypto/ring-seal.js';
import type { Db } from '../../platform/db/schema.js';
import { listSealedChannelSecrets, replaceSealedChannelSecrets } from './channel.repository.js';

/**
 * A channel's platform credentials and its webhook secret must be read back (to call the platform,
 * to check what it presents), so they are sealed under the master key ring like the external bot's
 * signing secret, each bound to its channel and column: a value copied to another row does not open.
 */
export interface ChannelCredentials {
  /** Telegram: the bot token. */
  botToken?: string;
  /** WhatsApp, Messenger, Instagram: the (system user or page) access token. */
  accessToken?: string;
  /** Meta's app secret: the key of `X-Hub-Signature-256`. */
  appSecret?: string;
  /** WhatsApp: the business phone number id replies are sent from. */
  phoneNumberId?: string;
}

const aad = (channelId: string, column: 'credentials' | 'webhook_secret') =>
  `parley/channels/${column}/${channelId}`;

export function sealCredentials(ring: KeyRing, channelId: string, credentials: ChannelCredentials): string {
  return sealWithRing(ring, aad(channelId, 'credentials'), JSON.stringify(credentials));
}

export function openCredentials(ring: KeyRing, channelId: string, sealed: string): ChannelCredentials {
  return JSON.parse(openWithRing(ring, aad(channelId, 'credentials'), sealed)) as ChannelCredentials;
}

export function sealWebhookSecret(ring: KeyRing, channelId: string, secret: string): string {
  return sealWithRing(ring, aad(channelId, 'webhook_secret'), secret);
}

export function openWebhookSecret(ring: KeyRing, channelId: string, sealed: string): string {
  return openWithRing(ring, aad(channelId, 'webhook_secret'), sealed);
}

/** Part of `parley keys rotate`: both sealed values of every channel under the ring's current key. */
export async function rewrapChannelSecrets(o: { db: Db; ring: KeyRing }): Promise<number> {
  let rewrapped = 0;
  for (const row of await listSealedChannelSecrets(o.db)) {
    const current = o.ring.primary.id;
    if (kekOfRingSealed(row.credentials) === current && kekOfRingSealed(row.webhook_secret) === current)
      continue;
    const to = {
      credentials: sealCredentials(o.ring, row.id, openCredentials(o.ring, row.id, row.credentials)),
      webhook_secret: sealWebhookSecret(
        o.ring,
        row.id,
        openWebhookSecret(o.ring, row.id, row.webhook_secret),
      ),
    };
    if (await replaceSealedChannelSecrets(o.db, row, to)) rewrapped += 1;
  }
  return rewrapped;
}

/** How many channels each master key seals (for `keys status` and `keys retire`). */
export async function countChannelSecretsByKek(db: Db): Promise<Map<string | null, number>> {
  const counts = new Map<string | null, number>();
  for (const row of await listSealedChannelSecrets(db))
    for (const value of [row.credentials, row.webhook_secret]) {
      const kek = kekOfRingSealed(value);
      counts.set(kek, (counts.get(kek) ?? 0) + 1);
    }
  return counts;
}
