import http from 'node:http';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import Provider from 'oidc-provider';
import { freePort } from './test-server.js';

/** Who signs in at the provider next, and what it says about them. */
export interface ProviderUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
  amr?: string[];
  acr?: string;
}

/** Rewrites the ID token the token endpoint answers with (forgery tests); null: leave it. */
type Tamper = (idToken: string) => Promise<string>;

export interface TestOpenIdProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The provider's real signing key: tests sign logout tokens and re-signed ID tokens with it. */
  signingKey: { key: CryptoKey; kid: string };
  signInAs(user: ProviderUser): void;
  /** Changes what the provider says about a person from now on (groups, email…). */
  updateUser(user: ProviderUser): void;
  /** Deletes the person's account: their refresh tokens get `invalid_grant`, userinfo 401. */
  deleteUser(sub: string): void;
  /** Revokes every grant the person gave Parley (the refresh tokens die with it). */
  revokeGrants(sub: string): Promise<void>;
  /** Answers every request with this status (an outage), or normally again with null. */
  failWith(status: number | null): void;
  tamperWith(tamper: Tamper | null): void;
  /** A token signed by the provider's own key, with these claims. */
  sign(
    claims: Record<string, unknown>,
    options?: { key?: CryptoKey; kid?: string; typ?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real, certified OpenID Provider (the `oidc-provider` package) on a random port, with one
 * confidential client registered for Parley's callback. The login and consent interaction is
 * answered by the test's own handler for whichever user `signInAs` named, so a test drives the
 * whole authorization code flow with PKCE through real HTTP.
 */
export async function startOpenIdProvider(o: {
  redirectUri: string;
  /**
   * false: the ID token carries only who signed in and how (sub, amr, acr…); email, name and groups
   * come only from userinfo, as many providers do. Default true (everything in the ID token too).
   */
  claimsInIdToken?: boolean;
}): Promise<TestOpenIdProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'parley-test';
  const clientSecret = 'a-long-enough-client-secret-for-the-test-provider';
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'test-key-1';
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const users = new Map<string, ProviderUser>();
  let current: ProviderUser | null = null;
  let tamper: Tamper | null = null;
  let failing: number | null = null;
  const grants = new Map<string, string[]>();

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [o.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    pkce: { methods: ['S256'], required: () => true },
    // offline_access: refresh tokens, which Parley's periodic re-check asks with.
    scopes: ['openid', 'offline_access', 'email', 'profile', 'groups'],
    claims: {
      // How the person signed in, in every ID token, as Entra ID and Keycloak send it.
      openid: ['sub', 'acr', 'amr', 'auth_time', 'sid'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    // Put scope claims in the ID token too, as Entra ID and Keycloak can be set to do.
    conformIdTokenClaims: o.claimsInIdToken === false,
    findAccount: async (_ctx: unknown, id: string) => {
      const user = users.get(id);
      if (!user) return undefined;
      const { amr: _a, acr: _b, ...claims } = user;
      return { accountId: id, claims: async () => ({ ...claims }) };
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['test-provider-cookie-key'] },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
      Grant: 600,
    },
  });
  provider.on('server_error', (_ctx, err) => console.error('test provider error', err));
  const callback = provider.callback();

  const server = http.createServer(async (req, res) => {
    try {
      if (failing !== null) {
        res.writeHead(failing, { 'content-type': 'text/plain' });
        res.end('unavailable');
        return;
      }
      if (req.url?.startsWith('/interaction/')) {
        const user = current;
        if (!user) throw new Error('signInAs was not called');
        users.set(user.sub, user);
        const details = await provider.interactionDetails(req, res);
        const grant = new provider.Grant({
          accountId: user.sub,
          clientId: details.params.client_id as string,
        });
        grant.addOIDCScope(String(details.params.scope));
        const grantId = await grant.save();
        grants.set(user.sub, [...(grants.get(user.sub) ?? []), grantId]);
        await provider.interactionFinished(
          req,
          res,
          {
            login: {
              accountId: user.sub,
              ...(user.amr ? { amr: user.amr } : {}),
              ...(user.acr ? { acr: user.acr } : {}),
            },
            consent: { grantId },
          },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      if (tamper && req.method === 'POST' && req.url === '/token' && !req.headers['x-untouched']) {
        // Ask the provider itself, then hand Parley a changed ID token.
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length'),
        ) as Record<string, string>;
        const answer = await fetch(`${issuer}/token`, {
          method: 'POST',
          headers: { ...headers, 'x-untouched': '1' },
          body: Buffer.concat(chunks),
        });
        const body = (await answer.json()) as Record<string, unknown>;
        if (typeof body.id_token === 'string') body.id_token = await tamper(body.id_token);
        res.writeHead(answer.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(body));
        return;
      }
      callback(req, res);
    } catch (err) {
      res.writeHead(500);
      res.end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

  const sign: TestOpenIdProvider['sign'] = async (claims, options = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({
        alg: 'RS256',
        kid: options.kid ?? kid,
        ...(options.typ ? { typ: options.typ } : {}),
      })
      .sign(options.key ?? privateKey);

  return {
    issuer,
    clientId,
    clientSecret,
    signingKey: { key: privateKey, kid },
    signInAs: (user) => {
      current = user;
    },
    updateUser: (user) => {
      users.set(user.sub, user);
    },
    deleteUser: (sub) => {
      users.delete(sub);
    },
    revokeGrants: async (sub) => {
      for (const id of grants.get(sub) ?? []) await (await provider.Grant.find(id))?.destroy();
      grants.delete(sub);
    },
    failWith: (status) => {
      failing = status;
    },
    tamperWith: (t) => {
      tamper = t;
    },
    sign,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The browser's side of one sign-in: start at Parley, through the provider, back to the callback. */
export interface BrowserSignIn {
  /** Parley's browser-binding cookie from the start. */
  bindingCookie: string;
  /** The callback URL the provider sent the browser to (not yet visited). */
  callbackUrl: string;
}

/** Follows the redirects of the authorization request with a small cookie jar, as a browser would. */
export async function walkToCallback(o: { parleyUrl: string; providerId: string }): Promise<BrowserSignIn> {
  const start = await fetch(`${o.parleyUrl}/api/v1/auth/oidc/${o.providerId}/start`, { redirect: 'manual' });
  if (start.status !== 302) throw new Error(`start answered ${start.status}: ${await start.text()}`);
  const binding = start.headers.getSetCookie().find((c) => c.startsWith('__Host-parley_oidc='));
  if (!binding) throw new Error('no browser-binding cookie');
  const jar = new Map<string, string>();
  let location = start.headers.get('location') as string;
  for (let hop = 0; hop < 10; hop += 1) {
    if (location.startsWith(o.parleyUrl))
      return { bindingCookie: binding.split(';')[0] as string, callbackUrl: location };
    const res = await fetch(location, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = (pair as string).indexOf('=');
      jar.set((pair as string).slice(0, at), (pair as string).slice(at + 1));
    }
    const next = res.headers.get('location');
    if (!next) throw new Error(`the provider stopped at ${location} with ${res.status}: ${await res.text()}`);
    location = new URL(next, location).href;
  }
  throw new Error('too many redirects');
}
