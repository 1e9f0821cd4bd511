import { randomBytes } from 'node:crypto';
import { API_TOKEN_PATTERN, API_TOKEN_PREFIX } from '../../../protocol/api-tokens.js';
import { newSecret } from '../../platform/crypto/tokens.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A public id of 8 characters from [a-z0-9]. Bytes of 252 and above are drawn again so that every
 * character is equally likely (252 = 7 × 36).
 */
export function newPublicId(): string {
  let out = '';
  while (out.length < 8) {
    for (const byte of randomBytes(16)) {
      if (byte < 252 && out.length < 8) out += ALPHABET[byte % 36];
    }
  }
  return out;
}

/** `prt_<public id>_<256-bit secret>`: the prefix makes a leaked token recognisable by scanners. */
export function formatApiToken(publicId: string): string {
  return `${API_TOKEN_PREFIX}${publicId}_${newSecret()}`;
}

export function publicIdOf(token: string): string | null {
  return API_TOKEN_PATTERN.exec(token)?.[1] ?? null;
}

/** What the dashboard shows for a token: enough to recognise it, useless to use it. */
export function tokenPrefix(publicId: string): string {
  return `${API_TOKEN_PREFIX}${publicId}`;
}
