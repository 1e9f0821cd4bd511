import { randomUUID } from 'node:crypto';
import type { IDToken } from 'openid-client';
import type { SsoErrorReason } from '../../../protocol/sso.js';
import type { Config } from '../../config.js';
import { clock, nowIso } from '../../platform/clock.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import { openWithRing } from '../../platform/crypto/ring-seal.js';
import { hashSecret, newSecret } from '../../platform/crypto/tokens.js';
import type { Db, Executor, SessionStage } from '../../platform/db/schema.js';
import type { OidcProvidersTable } from '../../platform/db/schema-sso.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import { createSession } from '../auth/create-session.js';
import { signInStage } from '../mfa/sign-in-stage.js';
import { createUser } from '../users/create-user.js';
import { findMembership, findUserByEmail, findUserById, normalizeEmail } from '../users/lookups.js';
import { openClientSecret } from './client-secret.js';
import { providerConfiguration, redeemCode } from './oidc-client.js';
import { parseMappings } from './present-provider.js';
import { findProvider } from './provider.repository.js';
import {
  deleteExpiredOidcSessions,
  deleteLink,
  findLink,
  insertLink,
  insertOidcSession,
  takeLoginState,
  touchLink,
} from './sign-in.repository.js';
import { mayLinkExisting, providerAssertsMfa, roleFromGroups } from './sign-in-policy.js';
import { verifierAad } from './start-oidc-sign-in.js';

/** Why a callback was refused: the browser is told `reason`, the audit log and the security log get `why`. */
export class SignInRefused extends Error {
  constructor(
    readonly reason: SsoErrorReason,
    readonly why: string,
  ) {
    super(why);
  }
}

interface Options {
  db: Db;
  ring: KeyRing;
  config: Pick<Config, 'sessionAbsoluteMs' | 'passwordMinLength'>;
  /** The callback URL exactly as the provider sent the browser to it. */
  callbackUrl: URL;
  query: { state?: string; error?: string };
  /** The value of the HttpOnly cookie set when this browser started the sign-in. */
  browserSecret: string | undefined;
  ip: string | null;
  userAgent: string | null;
  log?: SecurityLogger;
}

/**
 * The provider's callback: takes the sign-in state once (a replay finds it used), checks it belongs
 * to this browser, redeems the code (PKCE) and verifies the ID token, then finds, links or creates
 * the account and opens a normal Parley session. Every refusal with a known workspace is audited.
 */
export async function finishOidcSignIn(o: Options) {
  if (!o.query.state) throw new SignInRefused('sso_expired', 'no state');
  const pending = await takeLoginState(o.db, hashSecret(o.query.state), nowIso());
  if (!pending || pending.expires_at < nowIso()) {
    o.log?.info(
      { security: true, event: 'auth.oidc.refused', why: 'state unknown, used or expired', ip: o.ip },
      'sso refused',
    );
    throw new SignInRefused('sso_expired', 'state unknown, used or expired');
  }
  const refuse = async (reason: SsoErrorReason, why: string, userId?: string): Promise<never> => {
    await recordAuditEvent(
      o.db,
      {
        workspaceId: pending.workspace_id,
        actor: userId ? { type: 'user', id: userId } : { type: 'system' },
        action: 'auth.oidc.refused',
        target: { type: 'oidc_provider', id: pending.provider_id },
        ip: o.ip,
        details: { reason, why },
      },
      o.log,
    );
    throw new SignInRefused(reason, why);
  };
  if (!o.browserSecret || hashSecret(o.browserSecret) !== pending.browser_hash)
    return refuse('sso_failed', 'state from another browser');
  const provider = await findProvider(o.db, pending.provider_id);
  if (!provider) return refuse('sso_failed', 'provider removed');
  if (o.query.error)
    return refuse(
      o.query.error === 'access_denied' ? 'sso_cancelled' : 'sso_failed',
      'provider answered an error',
    );
  let claims: IDToken;
  try {
    const configured = await providerConfiguration(
      provider,
      openClientSecret(o.ring, provider.client_secret, provider.id),
    );
    claims = await redeemCode(configured, {
      callbackUrl: o.callbackUrl,
      codeVerifier: openWithRing(o.ring, verifierAad(pending.id), pending.code_verifier),
      state: o.query.state,
      nonce: pending.nonce,
    });
  } catch (err) {
    o.log?.info(
      { security: true, event: 'auth.oidc.token_refused', err: { message: (err as Error).message } },
      'sso token refused',
    );
    return refuse('sso_failed', 'code or ID token refused');
  }
  const { userId, role, created, linked } = await account(o.db, o, provider, claims, refuse);
  const user = await findUserById(o.db, userId);
  if (!user || user.disabled_at) return refuse('sso_disabled', 'account disabled', userId);
  const stage: SessionStage =
    provider.trust_provider_mfa === 1 &&
    providerAssertsMfa(
      claims as { amr?: unknown; acr?: unknown },
      JSON.parse(provider.mfa_acr_values) as string[],
    )
      ? 'full'
      : await signInStage(o.db, { userId, workspaceId: provider.workspace_id, role });
  const session = await o.db.transaction().execute(async (trx) => {
    const s = await createSession({
      db: trx,
      config: o.config,
      workspaceId: provider.workspace_id,
      userId,
      ip: o.ip,
      userAgent: o.userAgent,
      stage,
    });
    // Rows of sessions past their absolute expiry are worth nothing: cleared as new ones come.
    await deleteExpiredOidcSessions(trx, nowIso());
    await insertOidcSession(trx, {
      session_id: s.id,
      workspace_id: provider.workspace_id,
      provider_id: provider.id,
      subject: claims.sub,
      sid: typeof claims.sid === 'string' ? claims.sid.slice(0, 500) : null,
      created_at: nowIso(),
      expires_at: new Date(clock.now() + o.config.sessionAbsoluteMs).toISOString(),
    });
    await recordAuditEvent(
      trx,
      {
        workspaceId: provider.workspace_id,
        actor: { type: 'user', id: userId },
        action: 'auth.login.succeeded',
        target: { type: 'session', id: s.id },
        ip: o.ip,
        details: {
          method: 'oidc',
          providerId: provider.id,
          stage,
          accountCreated: created,
          accountLinked: linked,
        },
      },
      o.log,
    );
    return s;
  });
  return { session, stage };
}

/** The Parley account behind the provider's subject: linked before, linked now, or created now. */
async function account(
  db: Db,
  o: Options,
  provider: OidcProvidersTable,
  claims: IDToken,
  refuse: (reason: SsoErrorReason, why: string, userId?: string) => Promise<never>,
): Promise<{
  userId: string;
  role: 'administrator' | 'supervisor' | 'operator';
  created: boolean;
  linked: boolean;
}> {
  const role = roleFromGroups(claims[provider.groups_claim], parseMappings(provider));
  const link = await findLink(db, provider.id, claims.sub);
  const linkedMember = link ? await findMembership(db, provider.workspace_id, link.user_id) : undefined;
  // An administrator deleted the linked account: the link is stale, and the person is new again.
  if (link && !linkedMember) await deleteLink(db, link.id);
  if (link && linkedMember) {
    // Losing every mapped group at the provider takes away access, even for a linked account.
    if (!role) return refuse('sso_no_role', 'no group maps to a role', link.user_id);
    await touchLink(db, link.id, nowIso());
    return { userId: link.user_id, role: linkedMember.role, created: false, linked: false };
  }
  if (!role) return refuse('sso_no_role', 'no group maps to a role');
  const email = typeof claims.email === 'string' ? normalizeEmail(claims.email) : '';
  if (!/^[^@\s]+@[^@\s]+$/.test(email) || email.length > 320)
    return refuse('sso_failed', 'no usable email claim');
  const existing = await findUserByEmail(db, email);
  const at = nowIso();
  if (existing) {
    const membership = await findMembership(db, provider.workspace_id, existing.id);
    if (
      existing.workspace_id !== provider.workspace_id ||
      !membership ||
      !mayLinkExisting({ emailVerified: claims.email_verified, linkAllowed: provider.link_existing === 1 })
    )
      return refuse(
        'sso_link_refused',
        'an account with this email exists; linking not allowed or email not verified',
      );
    await insertLink(db, linkRow(provider, claims.sub, existing.id, at));
    return { userId: existing.id, role: membership.role, created: false, linked: true };
  }
  const userId = await db.transaction().execute(async (trx: Executor) => {
    const name =
      typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 100) : email;
    // Nobody knows this password: the account signs in through its provider (or a reset link).
    const user = await createUser({
      db: trx,
      config: o.config,
      workspaceId: provider.workspace_id,
      email,
      name,
      password: newSecret(),
      role,
    });
    await insertLink(trx, linkRow(provider, claims.sub, user.id, at));
    await recordAuditEvent(trx, {
      workspaceId: provider.workspace_id,
      actor: { type: 'system' },
      action: 'user.created_by_sso',
      target: { type: 'user', id: user.id },
      ip: o.ip,
      details: { providerId: provider.id, role },
    });
    return user.id;
  });
  return { userId, role, created: true, linked: false };
}

function linkRow(provider: OidcProvidersTable, subject: string, userId: string, at: string) {
  return {
    id: randomUUID(),
    workspace_id: provider.workspace_id,
    provider_id: provider.id,
    subject,
    user_id: userId,
    created_at: at,
    last_sign_in_at: at,
  };
}
