import { fieldAad } from '../../platform/crypto/envelope.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import { openWithRing, sealWithRing } from '../../platform/crypto/ring-seal.js';
import { newSecret } from '../../platform/crypto/tokens.js';

/**
 * A widget's identity-verification secret: `pws_` and 256 random bits. The embedding site's backend
 * uses the whole string as the HMAC key. Parley must compute the same HMAC, so it keeps the secret
 * retrievable (unlike tokens and credentials, which are stored hashed): sealed under the master key
 * ring with the widget's id as associated data, so a sealed secret copied to another widget's row
 * does not open.
 */
export function newWidgetSecret(): string {
  return `pws_${newSecret()}`;
}

const aad = (widgetId: string) => fieldAad('widgets', 'identity_secret', widgetId);

/** What goes into `widgets.identity_secret`. */
export function sealWidgetSecret(ring: KeyRing, secret: string, widgetId: string): string {
  return sealWithRing(ring, aad(widgetId), secret);
}

/**
 * The secret behind a stored value, or null for a widget that has none. A secret stored before they
 * were sealed (as is, `pws_…`) still reads until the next start seals it.
 */
export function openWidgetSecret(ring: KeyRing, stored: string | null, widgetId: string): string | null {
  if (stored === null) return null;
  if (isUnsealedWidgetSecret(stored)) return stored;
  return openWithRing(ring, aad(widgetId), stored);
}

export function isUnsealedWidgetSecret(stored: string): boolean {
  return stored.startsWith('pws_');
}
