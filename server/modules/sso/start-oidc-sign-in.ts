import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import { sealWithRing } from '../../platform/crypto/ring-seal.js';
import { hashSecret, newSecret } from '../../platform/crypto/tokens.js';
import type { Db } from '../../platform/db/schema.js';
import { openClientSecret } from './client-secret.js';
import { authorizationUrl, pkce, providerConfiguration } from './oidc-client.js';
import { callbackUrl } from './present-provider.js';
import { findProvider } from './provider.repository.js';
import { deleteExpiredLoginStates, insertLoginState } from './sign-in.repository.js';

/** Long enough to type a password and answer a second factor at the provider; short enough to be useless later. */
export const SIGN_IN_TTL_MS = 10 * 60 * 1000;

export const verifierAad = (stateId: string) => `oidc_login_states.code_verifier:${stateId}`;

/**
 * Starts a sign-in with a provider: a single-use row keeps the state (hashed), the nonce and the
 * PKCE verifier (sealed) server-side, bound to this browser by a random value in an HttpOnly cookie
 * whose hash the row holds. The browser goes to the provider with only the state, the nonce and the
 * S256 challenge.
 */
export async function startOidcSignIn(o: {
  db: Db;
  ring: KeyRing;
  config: Pick<Config, 'publicUrl'>;
  providerId: string;
}): Promise<{ location: string; browserSecret: string }> {
  const provider = await findProvider(o.db, o.providerId);
  if (!provider) throw new AppError('oidc_provider_not_found');
  const configured = await providerConfiguration(
    provider,
    openClientSecret(o.ring, provider.client_secret, provider.id),
  ).catch(() => {
    throw new AppError('oidc_provider_unavailable');
  });
  const state = newSecret();
  const nonce = newSecret();
  const browserSecret = newSecret();
  const codeVerifier = pkce.verifier();
  const now = clock.now();
  const id = randomUUID();
  await deleteExpiredLoginStates(o.db, new Date(now).toISOString());
  await insertLoginState(o.db, {
    id,
    workspace_id: provider.workspace_id,
    provider_id: provider.id,
    state_hash: hashSecret(state),
    browser_hash: hashSecret(browserSecret),
    nonce,
    code_verifier: sealWithRing(o.ring, verifierAad(id), codeVerifier),
    created_at: new Date(now).toISOString(),
    expires_at: new Date(now + SIGN_IN_TTL_MS).toISOString(),
    used_at: null,
  });
  const url = authorizationUrl(
    configured,
    {
      redirectUri: callbackUrl(o.config),
      scopes: JSON.parse(provider.scopes) as string[],
      state,
      nonce,
      codeVerifier,
    },
    await pkce.challenge(codeVerifier),
  );
  return { location: url.href, browserSecret };
}
