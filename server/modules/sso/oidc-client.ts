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

export function authorizationUrl(
  configured: Configured,
  o: { redirectUri: string; scopes: string[]; state: string; nonce: string; codeVerifier: string },
  challenge: string,
): URL {
  return client.buildAuthorizationUrl(configured.config, {
    redirect_uri: o.redirectUri,
    scope: ['openid', ...o.scopes.filter((s) => s !== 'openid')].join(' '),
    state: o.state,
    nonce: o.nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
}

/** Redeems the code; throws unless the ID token and every claim the spec asks for check out. */
export async function redeemCode(
  configured: Configured,
  o: { callbackUrl: URL; codeVerifier: string; state: string; nonce: string },
): Promise<client.IDToken> {
  const tokens = await client.authorizationCodeGrant(configured.config, o.callbackUrl, {
    pkceCodeVerifier: o.codeVerifier,
    expectedState: o.state,
    expectedNonce: o.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error('no ID token');
  return claims;
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
