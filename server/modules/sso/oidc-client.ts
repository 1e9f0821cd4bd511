import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { BoundedCache } from '../../platform/crypto/bounded-cache.js';
import type { OidcProvidersTable } from '../../platform/db/schema-sso.js';

/**
 * The relying party side of OpenID Connect, through openid-client (certified): discovery, the
 * authorization URL with PKCE S256, the code exchange with the ID token's signature and claims
 * checked (iss, aud, exp, iat, nonce, azp with several audiences), and the provider's keys fetched
 * by `kid` and fetched again when a rotated key shows up. One configuration per provider is kept in
 * a bounded cache (entries, age), so a provider's keys and endpoints are not fetched on every
 * sign-in but a changed discovery document is picked up within the hour.
 */
const configurations = new BoundedCache<string, Promise<Configured>>(200, 60 * 60 * 1000);

interface Configured {
  config: client.Configuration;
  jwks: ReturnType<typeof createRemoteJWKSet>;
}

/** Plain http:// only for a provider on this machine (a development Keycloak); anything else needs TLS. */
export function isLoopbackHttp(issuer: URL): boolean {
  return issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
}

export class ProviderUnreachable extends Error {}

export async function providerConfiguration(
  provider: Pick<OidcProvidersTable, 'id' | 'updated_at' | 'issuer' | 'client_id'>,
  clientSecret: string,
): Promise<Configured> {
  // The row's update time is in the key: an edited provider never reuses the old configuration.
  const key = `${provider.id}:${provider.updated_at}`;
  const cached = configurations.get(key);
  if (cached) return cached;
  const pending = discover(provider, clientSecret);
  configurations.set(key, pending);
  // A failed discovery is not remembered: the next sign-in tries again.
  pending.catch(() => configurations.delete(key));
  return pending;
}

async function discover(
  provider: Pick<OidcProvidersTable, 'issuer' | 'client_id'>,
  clientSecret: string,
): Promise<Configured> {
  const issuer = new URL(provider.issuer);
  try {
    const config = await client.discovery(
      issuer,
      provider.client_id,
      clientSecret,
      client.ClientSecretBasic(clientSecret),
      {
        // The ID token's signature is checked too, not only the TLS of the token endpoint (which
        // OpenID Connect Core 3.1.3.7 would allow): a forged token never counts.
        execute: [
          client.enableNonRepudiationChecks,
          ...(isLoopbackHttp(issuer) ? [client.allowInsecureRequests] : []),
        ],
        timeout: 10,
      },
    );
    const jwksUri = config.serverMetadata().jwks_uri;
    if (!jwksUri) throw new Error('the provider names no jwks_uri');
    const jwks = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 10_000, cooldownDuration: 30_000 });
    return { config, jwks };
  } catch (err) {
    throw new ProviderUnreachable((err as Error).message);
  }
}

/**
 * Whether the provider lists `offline_access`: then Parley asks for it, so the re-check has a
 * refresh token to ask with. OpenID Connect Core §11 has the request carry `prompt=consent`.
 */
export function offersOfflineAccess(configured: Configured): boolean {
  const supported = configured.config.serverMetadata().scopes_supported;
  return Array.isArray(supported) && supported.includes('offline_access');
}

export function authorizationUrl(
  configured: Configured,
  o: { redirectUri: string; scopes: string[]; state: string; nonce: string; codeVerifier: string },
  challenge: string,
): URL {
  const offline = offersOfflineAccess(configured);
  const scopes = ['openid', ...o.scopes.filter((s) => s !== 'openid' && s !== 'offline_access')];
  return client.buildAuthorizationUrl(configured.config, {
    redirect_uri: o.redirectUri,
    scope: [...scopes, ...(offline ? ['offline_access'] : [])].join(' '),
    ...(offline ? { prompt: 'consent' } : {}),
    state: o.state,
    nonce: o.nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
}

/** What the provider gave besides the ID token: what the re-check asks with later. */
export interface GrantTokens {
  refresh?: string;
  access?: string;
  /** ISO time the access token stops being accepted, when the provider said. */
  accessExpiresAt?: string;
}

function grantTokens(
  tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
): GrantTokens {
  const expiresIn = tokens.expiresIn();
  return {
    ...(tokens.refresh_token ? { refresh: tokens.refresh_token } : {}),
    ...(tokens.access_token ? { access: tokens.access_token } : {}),
    ...(tokens.access_token && expiresIn !== undefined
      ? { accessExpiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() }
      : {}),
  };
}

/** Redeems the code; throws unless the ID token and every claim the spec asks for check out. */
export async function redeemCode(
  configured: Configured,
  o: { callbackUrl: URL; codeVerifier: string; state: string; nonce: string },
): Promise<{ claims: client.IDToken; tokens: GrantTokens }> {
  const tokens = await client.authorizationCodeGrant(configured.config, o.callbackUrl, {
    pkceCodeVerifier: o.codeVerifier,
    expectedState: o.state,
    expectedNonce: o.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error('no ID token');
  return { claims, tokens: grantTokens(tokens) };
}

/**
 * The provider's userinfo answer for this subject (openid-client checks its `sub` is the ID token's),
 * or null when the provider has no userinfo endpoint.
 */
export async function fetchUserinfo(
  configured: Configured,
  accessToken: string,
  subject: string,
): Promise<Record<string, unknown> | null> {
  if (!configured.config.serverMetadata().userinfo_endpoint) return null;
  return (await client.fetchUserInfo(configured.config, accessToken, subject)) as Record<string, unknown>;
}

/**
 * Uses a refresh token: the provider answers with new tokens while the grant and the account live,
 * and `invalid_grant` once either is gone. A new ID token, if any, is verified like the first one and
 * must name the same subject.
 */
export async function refreshGrant(
  configured: Configured,
  refreshToken: string,
  subject: string,
): Promise<{ claims: Record<string, unknown> | null; tokens: GrantTokens }> {
  const tokens = await client.refreshTokenGrant(configured.config, refreshToken);
  const claims = tokens.claims() ?? null;
  if (claims && claims.sub !== subject) throw new Error('the refreshed ID token names another subject');
  const next = grantTokens(tokens);
  // A provider that does not rotate refresh tokens answers without one: the old one still counts.
  return { claims: claims as Record<string, unknown> | null, tokens: { refresh: refreshToken, ...next } };
}

/**
 * Whether a provider's error says the person's access is over (`invalid_grant` from the token
 * endpoint, 401 from userinfo) rather than that the provider could not answer now.
 */
export function isAccessRevoked(err: unknown): boolean {
  if (err instanceof client.ResponseBodyError) return err.error === 'invalid_grant' || err.status === 401;
  if (err instanceof client.WWWAuthenticateChallengeError) return err.status === 401;
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Response && cause.status === 401;
}

export const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/**
 * A back-channel logout token, checked as OpenID Connect Back-Channel Logout 1.0 §2.6 says: the
 * signature by the provider's keys, iss, aud (this client), iat (and exp if present), the logout
 * event, a `sid` or `sub`, and no `nonce`.
 */
export async function verifyLogoutToken(
  configured: Configured,
  o: { issuer: string; clientId: string; token: string },
): Promise<{ sub?: string; sid?: string }> {
  const { payload } = await jwtVerify(o.token, configured.jwks, {
    issuer: configured.config.serverMetadata().issuer ?? o.issuer,
    audience: o.clientId,
    requiredClaims: ['iat'],
    maxTokenAge: '5 minutes',
    typ: undefined,
  });
  return checkLogoutClaims(payload);
}

export function checkLogoutClaims(payload: JWTPayload): { sub?: string; sid?: string } {
  const events = payload.events as Record<string, unknown> | undefined;
  if (!events || typeof events !== 'object' || typeof events[BACKCHANNEL_EVENT] !== 'object')
    throw new Error('no back-channel logout event');
  if ('nonce' in payload) throw new Error('a logout token carries no nonce');
  const sid = typeof payload.sid === 'string' ? payload.sid : undefined;
  const sub = typeof payload.sub === 'string' ? payload.sub : undefined;
  if (!sid && !sub) throw new Error('neither sid nor sub');
  return { ...(sid ? { sid } : {}), ...(sub ? { sub } : {}) };
}

export const pkce = {
  verifier: () => client.randomPKCECodeVerifier(),
  challenge: (verifier: string) => client.calculatePKCECodeChallenge(verifier),
};
