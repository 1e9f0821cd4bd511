import type { Role } from '../../../protocol/common.js';
import { nowIso } from '../../platform/clock.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import type { OidcProvidersTable } from '../../platform/db/schema-sso.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { announceEndedSessions, revokeAllSessions } from '../auth/end-session.js';
import { changeRole } from '../users/change-role.js';
import { findMembership } from '../users/lookups.js';
import { openClientSecret } from './client-secret.js';
import { openGrantTokens, sealGrantTokens, storeGrantTokens } from './grant-tokens.js';
import {
  fetchUserinfo,
  type GrantTokens,
  isAccessRevoked,
  providerConfiguration,
  refreshGrant,
} from './oidc-client.js';
import { parseMappings } from './present-provider.js';
import { listAllProviders } from './provider.repository.js';
import {
  clearLinkTokens,
  deleteOrphanLinks,
  findProviderRecheck,
  listLinksWithLiveSessions,
  saveProviderRecheck,
} from './recheck.repository.js';
import { mergeClaims, roleFromGroups } from './sign-in-policy.js';

const BATCH = 40;
/** People asked about at once (per node holding the lease). */
const PARALLEL = 8;

type Configured = Awaited<ReturnType<typeof providerConfiguration>>;

/** What the provider said about one account. */
export type ProviderAnswer =
  /** The account is alive; `claims` is null when the answer carried none (no ID token, no userinfo). */
  | { kind: 'active'; claims: Record<string, unknown> | null; tokens: GrantTokens }
  /** `invalid_grant` (grant revoked, account deleted or disabled) or 401 from userinfo. */
  | { kind: 'revoked' }
  /** No answer (network, 5xx, timeout, an answer that does not verify): nothing is decided. */
  | { kind: 'unreachable' }
  /** Nothing to ask with: no refresh token and the access token has expired. */
  | { kind: 'unverifiable' };

export interface OidcRecheckResult {
  checked: number;
  ended: number;
  roleChanges: number;
  unreachable: number;
  unverifiable: number;
  completed: boolean;
}

interface ProviderTally {
  provider: OidcProvidersTable;
  accounts: number;
  ended: number;
  roleChanges: number;
  unreachable: number;
}

/**
 * Asks each OpenID provider again about every account linked to it that has a live session: with
 * the refresh token it gave (the token endpoint refuses a revoked grant or a deleted account with
 * `invalid_grant`), else with the access token at userinfo (401 once the token or account is gone).
 * The groups in the answer are mapped again: no mapped group ends access, another role is applied
 * through the one role-change path. Ended sessions close their sockets on every node. A provider
 * that cannot be reached ends nobody's session: it is recorded on the provider's screen, logged, and
 * raised as a security alert when it starts (docs/OPERATIONS.md). Bounded batches under the lease.
 */
export async function recheckOidcAccounts(options: {
  db: Db;
  ring: KeyRing;
  pubsub: PubSub;
  keepGoing: () => Promise<boolean>;
}): Promise<OidcRecheckResult> {
  const { db, ring } = options;
  const result: OidcRecheckResult = {
    checked: 0,
    ended: 0,
    roleChanges: 0,
    unreachable: 0,
    unverifiable: 0,
    completed: false,
  };
  const tallies = new Map<string, ProviderTally>();
  for (const provider of await listAllProviders(db))
    tallies.set(provider.id, {
      provider,
      accounts: 0,
      ended: 0,
      roleChanges: 0,
      unreachable: 0,
    });
  // Discovery once per provider and run: a provider that is down costs one timeout, not one per person.
  const configs = new Map<string, Promise<Configured | null>>();
  const configured = (tally: ProviderTally): Promise<Configured | null> => {
    let pending = configs.get(tally.provider.id);
    if (!pending) {
      const { provider } = tally;
      pending = (async () =>
        providerConfiguration(provider, openClientSecret(ring, provider.client_secret, provider.id)))().catch(
        () => null,
      );
      configs.set(provider.id, pending);
    }
    return pending;
  };

  const checkLink = async (link: Awaited<ReturnType<typeof listLinksWithLiveSessions>>[number]) => {
    const tally = tallies.get(link.provider_id);
    const membership = await findMembership(db, link.workspace_id, link.user_id);
    if (!tally || !membership) return;
    tally.accounts += 1;
    const config = await configured(tally);
    const answer: ProviderAnswer = config
      ? await askProvider(config, openGrantTokens(ring, link.id, link.tokens), link.subject, tally.provider)
      : { kind: 'unreachable' };
    if (answer.kind === 'unreachable') {
      tally.unreachable += 1;
      result.unreachable += 1;
      return;
    }
    if (answer.kind === 'unverifiable') {
      result.unverifiable += 1;
      return;
    }
    result.checked += 1;
    let reason: string | null = answer.kind === 'revoked' ? 'access_revoked' : null;
    let role: Role | null = null;
    if (answer.kind === 'active') {
      await storeGrantTokens(db, link.id, sealGrantTokens(ring, link.id, answer.tokens), nowIso());
      if (answer.claims) {
        role = roleFromGroups(answer.claims[tally.provider.groups_claim], parseMappings(tally.provider));
        if (!role) reason = 'no_mapped_group';
      }
    }
    if (reason) {
      const ended = await endAccess(options, tally.provider, link, reason);
      tally.ended += 1;
      result.ended += ended;
    } else if (role && role !== membership.role) {
      const to = role;
      const ended = await db.transaction().execute((trx) =>
        changeRole({
          db: trx,
          workspaceId: link.workspace_id,
          userId: link.user_id,
          from: membership.role,
          to,
          actor: { type: 'system' },
          source: 'oidc',
          sourceId: tally.provider.id,
        }),
      );
      await announceEndedSessions(options.pubsub, ended);
      tally.roleChanges += 1;
      result.roleChanges += 1;
    }
  };

  await deleteOrphanLinks(db);
  let after = '';
  for (;;) {
    if (!(await options.keepGoing())) return result;
    const links = await listLinksWithLiveSessions(db, nowIso(), after, BATCH);
    if (links.length === 0) break;
    after = (links[links.length - 1] as (typeof links)[number]).id;
    // A few people at a time: the provider's answers take most of a run, and "within a minute"
    // must hold for more than a handful of people. Each person is one link; none is asked twice.
    const queue = [...links];
    const workers = await Promise.allSettled(
      Array.from({ length: Math.min(PARALLEL, queue.length) }, async () => {
        for (let link = queue.shift(); link; link = queue.shift()) await checkLink(link);
      }),
    );
    // Every worker has stopped before a failure ends the run (and the lease is let go).
    const failed = workers.find((w): w is PromiseRejectedResult => w.status === 'rejected');
    if (failed) throw failed.reason;
  }
  for (const tally of tallies.values()) await recordProviderResult(db, tally);
  result.completed = true;
  return result;
}

/** One account at its provider: refresh token first, the access token at userinfo otherwise. */
export async function askProvider(
  configured: Configured,
  stored: GrantTokens,
  subject: string,
  provider: Pick<OidcProvidersTable, 'groups_claim'>,
): Promise<ProviderAnswer> {
  try {
    let tokens = stored;
    let claims: Record<string, unknown> | null = null;
    if (stored.refresh) {
      const refreshed = await refreshGrant(configured, stored.refresh, subject);
      tokens = refreshed.tokens;
      claims = refreshed.claims;
    } else if (!stored.access || (stored.accessExpiresAt && stored.accessExpiresAt <= nowIso())) {
      return { kind: 'unverifiable' };
    }
    const userinfo = tokens.access ? await fetchUserinfo(configured, tokens.access, subject) : null;
    const merged = claims || userinfo ? mergeClaims(claims ?? {}, userinfo, provider.groups_claim) : null;
    return { kind: 'active', claims: merged, tokens };
  } catch (err) {
    return isAccessRevoked(err) ? { kind: 'revoked' } : { kind: 'unreachable' };
  }
}

async function endAccess(
  options: { db: Db; pubsub: PubSub },
  provider: OidcProvidersTable,
  link: { id: string; user_id: string; workspace_id: string },
  reason: string,
): Promise<number> {
  const ended = await options.db.transaction().execute(async (trx) => {
    const ids = await revokeAllSessions({ db: trx, userId: link.user_id });
    await clearLinkTokens(trx, link.id);
    await recordAuditEvent(trx, {
      workspaceId: link.workspace_id,
      actor: { type: 'system' },
      action: 'auth.oidc.sessions_ended',
      target: { type: 'user', id: link.user_id },
      details: { reason, providerId: provider.id, sessions: ids.length },
    });
    return ids;
  });
  await announceEndedSessions(options.pubsub, ended);
  return ended.length;
}

/** The provider's screen shows the last run; the first unreachable run after a good one is an alert. */
async function recordProviderResult(db: Db, tally: ProviderTally): Promise<void> {
  const result = tally.unreachable > 0 ? 'unreachable' : 'ok';
  const before = await findProviderRecheck(db, tally.provider.id);
  await db.transaction().execute(async (trx) => {
    await saveProviderRecheck(trx, {
      provider_id: tally.provider.id,
      workspace_id: tally.provider.workspace_id,
      checked_at: nowIso(),
      result,
      accounts: tally.accounts,
      ended: tally.ended,
      role_changes: tally.roleChanges,
    });
    if (result === 'unreachable' && before?.result !== 'unreachable')
      await recordAuditEvent(trx, {
        workspaceId: tally.provider.workspace_id,
        actor: { type: 'system' },
        action: 'auth.oidc.recheck_unreachable',
        target: { type: 'oidc_provider', id: tally.provider.id },
        details: { accounts: tally.unreachable },
      });
    else if (result === 'ok' && before?.result === 'unreachable')
      await recordAuditEvent(trx, {
        workspaceId: tally.provider.workspace_id,
        actor: { type: 'system' },
        action: 'auth.oidc.recheck_recovered',
        target: { type: 'oidc_provider', id: tally.provider.id },
      });
  });
}
