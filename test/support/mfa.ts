import { Secret, TOTP } from 'otpauth';
import type { Me, RecoveryCodes, TotpConfirmed, TotpEnrollment } from '../../protocol/index.js';
import { clock } from '../../server/platform/clock.js';
import { http, sessionCookie, type TestAgent } from './clients.js';
import type { SoftAuthenticator } from './soft-authenticator.js';
import type { TestServer } from './test-server.js';

/** The six-digit code an authenticator app shows for `secret` at `at` (default: the server's now). */
export function totpCode(secret: string, at = clock.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: at });
}

/** Moves the server's clock (shared with the test process) forward by `ms`. */
export function advanceClock(ms: number): void {
  const now = clock.now();
  clock.now = () => now + ms;
}

/** Freezes the server's clock at `at`; returns a function that restores real time. */
export function freezeClock(at = Date.now()): () => void {
  const real = clock.now;
  clock.now = () => at;
  return () => {
    clock.now = real;
  };
}

export interface EnrolledTotp {
  secret: string;
  recoveryCodes: string[];
  /** The cookie after setup (a new one when setup completed an enrollment-stage session). */
  agent: TestAgent;
}

/** Sets up TOTP through the API exactly as the dashboard does. */
export async function enrollTotp(server: TestServer, agent: TestAgent): Promise<EnrolledTotp> {
  const start = await http<TotpEnrollment>(server, 'POST', '/api/v1/auth/totp/enrollment', {
    cookie: agent.cookie,
    body: {},
  });
  if (start.status !== 201)
    throw new Error(`enrollment failed: ${start.status} ${JSON.stringify(start.body)}`);
  const { secret } = start.body;
  const confirm = await http<TotpConfirmed>(server, 'POST', '/api/v1/auth/totp/enrollment/confirm', {
    cookie: agent.cookie,
    body: { code: totpCode(secret) },
  });
  if (confirm.status !== 200)
    throw new Error(`confirm failed: ${confirm.status} ${JSON.stringify(confirm.body)}`);
  const rotated = confirm.headers.getSetCookie().length > 0;
  return {
    secret,
    recoveryCodes: confirm.body.recoveryCodes,
    agent: { ...agent, cookie: rotated ? sessionCookie(confirm) : agent.cookie, me: confirm.body.me },
  };
}

/** Password sign-in that may stop at the second factor: returns the cookie and the stage. */
export async function passwordSignIn(server: TestServer, email: string, password: string) {
  const res = await http<Me>(server, 'POST', '/api/v1/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { cookie: sessionCookie(res), me: res.body, workspaceId: res.body.workspace.id };
}

/** Completes the second factor with a code; returns the new, complete session. */
export async function verifyCode(server: TestServer, cookie: string, code: string) {
  return http(server, 'POST', '/api/v1/auth/mfa/verify', { cookie, body: { code } });
}

export async function regenerateCodes(server: TestServer, cookie: string, code?: string) {
  return http<RecoveryCodes>(server, 'POST', '/api/v1/auth/recovery-codes', {
    cookie,
    body: code ? { code } : {},
  });
}

/** Registers a passkey held by `authenticator` for the signed-in user. */
export async function registerPasskey(
  server: TestServer,
  cookie: string,
  authenticator: SoftAuthenticator,
  name = 'Laptop',
) {
  const options = await http(server, 'POST', '/api/v1/auth/passkeys/registration/options', {
    cookie,
    body: {},
  });
  if (options.status !== 200)
    throw new Error(`options failed: ${options.status} ${JSON.stringify(options.body)}`);
  return http(server, 'POST', '/api/v1/auth/passkeys', {
    cookie,
    body: { name, response: authenticator.register(options.body) },
  });
}
