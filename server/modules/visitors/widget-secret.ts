import { newSecret } from '../../platform/crypto/tokens.js';

/**
 * A widget's identity-verification secret: `pws_` and 256 random bits. The embedding site's backend
 * uses the whole string as the HMAC key. Parley must compute the same HMAC, so it keeps the secret
 * retrievable (unlike tokens and credentials, which are stored hashed).
 */
export function newWidgetSecret(): string {
  return `pws_${newSecret()}`;
}

/**
 * What goes into `widgets.identity_secret`. This is the one place the key ring will wrap the secret
 * (envelope encryption with the widget id as associated data) once it exists; until then the value
 * is stored as is, and openWidgetSecret must keep reading such plain values after that change.
 */
export function sealWidgetSecret(secret: string, _widgetId: string): string {
  return secret;
}

/** The secret behind a stored value, or null for a widget that has none. */
export function openWidgetSecret(sealed: string | null, _widgetId: string): string | null {
  return sealed;
}
