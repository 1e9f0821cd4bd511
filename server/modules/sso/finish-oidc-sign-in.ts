import { randomUUID } from 'node:crypto';
import type { IDToken } from 'openid-client';
import type { Role } from '../../../protocol/common.js';
import type { SsoErrorReason } from '../../../protocol/sso.js';
import type { Config } from '../../config.js';
import { clock, nowIso } from '../../platform/clock.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import { openWithRing } from '../../platform/crypto/ring-seal.js';
import { hashSecret, newSecret } from '../../platform/crypto/tokens.js';
import type { Db, Executor, SessionStage } from '../../platform/db/schema.js';
import type { OidcLinksTable, OidcProvidersTable } from '../../platform/db/schema-sso.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import { createSession } from '../auth/create-session.js';
import { announceEndedSessions } from '../auth/end-session.js';
import { signInStage } from '../mfa/sign-in-stage.js';
import { changeRole } from '../users/change-role.js';
import { createUser } from '../users/create-user.js';
import { findMembership, findUserByEmail, findUserById, normalizeEmail } from '../users/lookups.js';
import { openClientSecret } from './client-secret.js';
import { sealGrantTokens, storeGrantTokens } from './grant-tokens.js';
import { fetchUserinfo, type GrantTokens, providerConfiguration, redeemCode } from './oidc-client.js';
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
import { mayLinkExisting, mergeClaims, providerAssertsMfa, roleFromGroups } from './sign-in-policy.js';
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
  /** A role the provider's groups changed ends the person's other sessions on every node. */
  pubsub: PubSub;
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
  let tokens: GrantTokens;
  let configured: Awaited<ReturnType<typeof providerConfiguration>>;
  try {
    configured = await providerConfiguration(
      provider,
      openClientSecret(o.ring, provider.client_secret, provider.id),
    );
    ({ claims, tokens } = await redeemCode(configured, {
      callbackUrl: o.callbackUrl,
      codeVerifier: openWithRing(o.ring, verifierAad(pending.id), pending.code_verifier),
      state: o.query.state,
      nonce: pending.nonce,
    }));
  } catch (err) {
    o.log?.info(
      { security: true, event: 'auth.oidc.token_refused', err: { message: (err as Error).message } },
      'sso token refused',
    );
    return refuse('sso_failed', 'code or ID token refused');
  }
  if (tokens.access) {
    // Userinfo often carries the groups and profile the ID token leaves out. The ID token was
    // verified; a userinfo answer that fails (or names another subject) leaves its claims as they are.
    try {
      claims = mergeClaims(
        claims,
        await fetchUserinfo(configured, tokens.access, claims.sub),
        provider.groups_claim,
      );
    } catch (err) {
      o.log?.info(
        { security: true, event: 'auth.oidc.userinfo_failed', err: { message: (err as Error).message } },
        'sso userinfo failed',
      );
    }
  }
  const { userId, role, created, linked, linkId, ended } = await account(o.db, o, provider, claims, refuse);
  await announceEndedSessions(o.pubsub, ended);
  const user = await findUserById(o.db, userId);
  if (!user || user.disabled_at) return refuse('sso_disabled', 'account disabled', userId);
  // What the re-check asks with: the refresh token (or access token), sealed, replacing the last.
  await storeGrantTokens(o.db, linkId, sealGrantTokens(o.ring, linkId, tokens), nowIso());
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

/**
 * The Parley account behind the provider's subject: linked before, linked now, or created now. The
 * role the groups map to applies on every sign-in: a changed one is written, audited and ends the
 * person's other sessions (`ended`, announced by the caller), as any role change does.
 */
async function account(
  db: Db,
  o: Options,
  provider: OidcProvidersTable,
  claims: IDToken,
  refuse: (reason: SsoErrorReason, why: string, userId?: string) => Promise<never>,
): Promise<{
  userId: string;
  role: Role;
  created: boolean;
  linked: boolean;
  linkId: string;
  ended: string[];
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
    const ended = await applyRole(db, o, provider, link.user_id, linkedMember.role, role);
    return { userId: link.user_id, role, created: false, linked: false, linkId: link.id, ended };
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
    const row = linkRow(provider, claims.sub, existing.id, at);
    await insertLink(db, row);
    const ended = await applyRole(db, o, provider, existing.id, membership.role, role);
    return { userId: existing.id, role, created: false, linked: true, linkId: row.id, ended };
  }
  const made = await db.transaction().execute(async (trx: Executor) => {
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
    const row = linkRow(provider, claims.sub, user.id, at);
    await insertLink(trx, row);
    await recordAuditEvent(trx, {
      workspaceId: provider.workspace_id,
      actor: { type: 'system' },
      action: 'user.created_by_sso',
      target: { type: 'user', id: user.id },
      ip: o.ip,
      details: { providerId: provider.id, role },
    });
    return { userId: user.id, linkId: row.id };
  });
  return { ...made, role, created: true, linked: false, ended: [] };
}

/** The mapped role, when it differs from the member's: through the one role-change path. */
async function applyRole(
  db: Db,
  o: Options,
  provider: OidcProvidersTable,
  userId: string,
  from: Role,
  to: Role,
): Promise<string[]> {
  if (from === to) return [];
  return db.transaction().execute((trx) =>
    changeRole({
      db: trx,
      workspaceId: provider.workspace_id,
      userId,
      from,
      to,
      actor: { type: 'system' },
      source: 'oidc',
      sourceId: provider.id,
      ip: o.ip,
      ...(o.log ? { log: o.log } : {}),
    }),
  );
}

function linkRow(provider: OidcProvidersTable, subject: string, userId: string, at: string): OidcLinksTable {
  return {
    id: randomUUID(),
    workspace_id: provider.workspace_id,
    provider_id: provider.id,
    subject,
    user_id: userId,
    created_at: at,
    last_sign_in_at: at,
    tokens: null,
    checked_at: at,
  };
}
