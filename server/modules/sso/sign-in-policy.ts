import type { Role } from '../../../protocol/common.js';
import type { RoleMapping } from '../../../protocol/sso.js';

const RANK: Record<Role, number> = { operator: 1, supervisor: 2, administrator: 3 };

/**
 * The role a provider's groups claim maps to: the highest of the matching mappings, or null when
 * none matches (the sign-in is refused). A claim may be a list or a single value; anything else
 * (a number, an object) matches nothing.
 */
export function roleFromGroups(claim: unknown, mappings: readonly RoleMapping[]): Role | null {
  const groups = Array.isArray(claim) ? claim : [claim];
  const have = new Set(groups.filter((g): g is string => typeof g === 'string'));
  let best: Role | null = null;
  for (const m of mappings) {
    if (have.has(m.group) && (best === null || RANK[m.role] > RANK[best])) best = m.role;
  }
  return best;
}

/**
 * RFC 8176 methods that mean a factor beyond a password was used: `mfa` itself, one-time codes,
 * hardware or software keys, smart cards and biometrics.
 */
const MFA_METHODS = new Set(['mfa', 'otp', 'hwk', 'swk', 'sc', 'fpt', 'face', 'iris', 'retina']);

/** Whether the provider asserts a second factor, by `amr` or by one of the configured `acr` values. */
export function providerAssertsMfa(
  claims: { amr?: unknown; acr?: unknown },
  acrValues: readonly string[],
): boolean {
  if (Array.isArray(claims.amr) && claims.amr.some((m) => typeof m === 'string' && MFA_METHODS.has(m)))
    return true;
  return typeof claims.acr === 'string' && acrValues.includes(claims.acr);
}

/** Joining a provider identity to an existing account needs both the provider's and the administrator's word. */
export function mayLinkExisting(o: { emailVerified: unknown; linkAllowed: boolean }): boolean {
  return o.linkAllowed && o.emailVerified === true;
}

/**
 * The claims Parley reads (email with email_verified, name, the groups claim), taken from the
 * provider's userinfo answer where it has them and from the verified ID token otherwise: providers
 * often keep groups and profile out of the ID token. An email and whether it is verified always come
 * from the same answer, so an unverified userinfo email never borrows the ID token's `true`.
 */
export function mergeClaims<T extends Record<string, unknown>>(
  idToken: T,
  userinfo: Record<string, unknown> | null,
  groupsClaim: string,
): T {
  if (!userinfo) return idToken;
  const merged: Record<string, unknown> = { ...idToken };
  if ('email' in userinfo) {
    merged.email = userinfo.email;
    merged.email_verified = userinfo.email_verified;
  }
  if ('name' in userinfo) merged.name = userinfo.name;
  if (groupsClaim in userinfo) merged[groupsClaim] = userinfo[groupsClaim];
  return merged as T;
}
