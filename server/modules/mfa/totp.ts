import { Secret, TOTP } from 'otpauth';
import { MFA_LIMITS } from '../../../protocol/mfa.js';

/**
 * RFC 6238 with the parameters every authenticator app supports: HMAC-SHA1, 6 digits, 30 s steps,
 * and a 160-bit secret (RFC 4226 §4 recommends at least 160 bits).
 */
const PARAMS = {
  algorithm: 'SHA1',
  digits: MFA_LIMITS.totpDigits,
  period: MFA_LIMITS.totpPeriodSeconds,
} as const;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app scans from the QR code. */
export function totpUri(secret: string, account: string): string {
  return new TOTP({
    ...PARAMS,
    issuer: 'Parley',
    label: account,
    secret: Secret.fromBase32(secret),
  }).toString();
}

/** The time step `code` belongs to (within ±1 step of `now`), or null when it matches none. */
export function matchTotpStep(secret: string, code: string, now: number): number | null {
  const totp = new TOTP({ ...PARAMS, secret: Secret.fromBase32(secret) });
  const delta = totp.validate({ token: code, timestamp: now, window: MFA_LIMITS.totpWindowSteps });
  if (delta === null) return null;
  return TOTP.counter({ period: PARAMS.period, timestamp: now }) + delta;
}
