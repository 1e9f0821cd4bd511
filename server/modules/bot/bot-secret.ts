import type { KeyRing } from '../../platform/crypto/key-ring.js';
import { newSecret } from '../../platform/crypto/tokens.js';

/**
 * The webhook signing secret of a widget: `pwh_` and 256 random bits. Parley must compute the same
 * HMAC as the site, so it keeps the secret retrievable: wrapped under the master key ring, bound
 * to the widget's id. Administrators see it once, when it is made.
 */
export function newWebhookSecret(): string {
  return `pwh_${newSecret()}`;
}

const aad = (widgetId: string) => `parley/widget_bot_settings/external_bot_secret/${widgetId}`;

export function sealWebhookSecret(ring: KeyRing, widgetId: string, secret: string): string {
  const { kekId, wrapped } = ring.wrap(Buffer.from(secret, 'utf8'), aad(widgetId));
  return `${kekId}:${wrapped}`;
}

export function openWebhookSecret(ring: KeyRing, widgetId: string, sealed: string): string {
  const [kekId = '', wrapped = ''] = sealed.split(':');
  return ring.unwrap(kekId, wrapped, aad(widgetId)).toString('utf8');
}

/** The id of the master key a sealed secret is wrapped under. */
export function kekOfSealedSecret(sealed: string): string {
  return sealed.split(':')[0] ?? '';
}
