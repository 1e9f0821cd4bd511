import { randomUUID } from 'node:crypto';
import type { CreateOidcProviderBody, UpdateOidcProviderBody } from '../../../protocol/sso.js';
import { SSO_LIMITS } from '../../../protocol/sso.js';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import type { OidcProvidersTable } from '../../platform/db/schema-sso.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { announceEndedSessions, revokeSessions } from '../auth/end-session.js';
import { openClientSecret, sealClientSecret } from './client-secret.js';
import { isLoopbackHttp, ProviderUnreachable, providerConfiguration } from './oidc-client.js';
import {
  countProviders,
  deleteProviderRow,
  findProvider,
  insertProvider,
  listAllProviders,
  updateProviderRow,
} from './provider.repository.js';
import { deleteOidcSessions, findProviderSessions } from './sign-in.repository.js';

interface Context {
  db: Db;
  ring: KeyRing;
  config: Pick<Config, 'publicUrl'>;
  workspaceId: string;
  actorId: string;
  ip: string | null;
}

type Fields = Omit<CreateOidcProviderBody, 'clientSecret'>;

function columns(body: Fields) {
  return {
    name: body.name.trim(),
    issuer: body.issuer.replace(/\/+$/, ''),
    client_id: body.clientId,
    scopes: JSON.stringify([...new Set(body.scopes)]),
    groups_claim: body.groupsClaim,
    mappings: JSON.stringify(body.mappings.map((m) => ({ group: m.group.trim(), role: m.role }))),
    domains: JSON.stringify([...new Set(body.domains.map((d) => d.toLowerCase()))]),
    link_existing: body.linkExistingAccounts ? 1 : 0,
    trust_provider_mfa: body.trustProviderMfa ? 1 : 0,
    mfa_acr_values: JSON.stringify(body.mfaAcrValues),
  };
}

/** An issuer must be https (or http on this machine), answer discovery, and a domain belongs to one workspace. */
async function checkProvider(
  ctx: Context,
  row: Pick<OidcProvidersTable, 'id' | 'issuer' | 'client_id' | 'domains' | 'updated_at'>,
  secret: string,
) {
  const issuer = new URL(row.issuer);
  if (issuer.protocol !== 'https:' && !isLoopbackHttp(issuer)) throw new AppError('oidc_issuer_insecure');
  const domains = new Set(JSON.parse(row.domains) as string[]);
  for (const other of await listAllProviders(ctx.db)) {
    if (other.workspace_id === ctx.workspaceId) continue;
    const taken = (JSON.parse(other.domains) as string[]).filter((d) => domains.has(d));
    if (taken.length > 0) throw new AppError('oidc_domain_taken', { details: taken });
  }
  try {
    await providerConfiguration(row, secret);
  } catch (err) {
    if (err instanceof ProviderUnreachable) throw new AppError('oidc_discovery_failed');
    throw err;
  }
}

export async function createProvider(ctx: Context & { body: CreateOidcProviderBody }) {
  if ((await countProviders(ctx.db, ctx.workspaceId)) >= SSO_LIMITS.maxProvidersPerWorkspace)
    throw new AppError('oidc_provider_limit');
  const at = nowIso();
  const id = randomUUID();
  const row: OidcProvidersTable = {
    id,
    workspace_id: ctx.workspaceId,
    ...columns(ctx.body),
    client_secret: sealClientSecret(ctx.ring, ctx.body.clientSecret, id),
    created_at: at,
    updated_at: at,
  };
  await checkProvider(ctx, row, ctx.body.clientSecret);
  await ctx.db.transaction().execute(async (trx) => {
    await insertProvider(trx, row);
    await audit(trx, ctx, 'sso.provider.created', id, { mappings: ctx.body.mappings.length });
  });
  return row;
}

export async function updateProvider(ctx: Context & { providerId: string; body: UpdateOidcProviderBody }) {
  const before = await findProvider(ctx.db, ctx.providerId);
  if (!before || before.workspace_id !== ctx.workspaceId) throw new AppError('oidc_provider_not_found');
  const secret = ctx.body.clientSecret ?? openClientSecret(ctx.ring, before.client_secret, before.id);
  // Strictly later than the last edit: the configuration cache is keyed by it.
  const at =
    nowIso() > before.updated_at ? nowIso() : new Date(Date.parse(before.updated_at) + 1).toISOString();
  const changes = {
    ...columns(ctx.body),
    client_secret: ctx.body.clientSecret
      ? sealClientSecret(ctx.ring, secret, before.id)
      : before.client_secret,
    updated_at: at,
  };
  await checkProvider(ctx, { ...before, ...changes }, secret);
  await ctx.db.transaction().execute(async (trx) => {
    await updateProviderRow(trx, ctx.workspaceId, before.id, changes);
    await audit(trx, ctx, 'sso.provider.updated', before.id, {
      secretChanged: Boolean(ctx.body.clientSecret),
    });
    // Who gets which role is its own event: it decides who reaches the workspace.
    if (changes.mappings !== before.mappings)
      await audit(trx, ctx, 'sso.mappings.changed', before.id, {
        before: (JSON.parse(before.mappings) as unknown[]).length,
        after: ctx.body.mappings.length,
      });
  });
  return { ...before, ...changes };
}

/** Removing a provider ends the sessions it opened, on every node: its word no longer counts. */
export async function deleteProvider(ctx: Context & { pubsub: PubSub; providerId: string }) {
  const ended = await ctx.db.transaction().execute(async (trx) => {
    const sessions = (await findProviderSessions(trx, ctx.providerId)).filter(
      (s) => s.workspace_id === ctx.workspaceId,
    );
    if (!(await deleteProviderRow(trx, ctx.workspaceId, ctx.providerId)))
      throw new AppError('oidc_provider_not_found');
    const ids = sessions.map((s) => s.session_id);
    await revokeSessions(trx, ids);
    await deleteOidcSessions(trx, ids);
    await audit(trx, ctx, 'sso.provider.deleted', ctx.providerId, { sessionsEnded: ids.length });
    return ids;
  });
  await announceEndedSessions(ctx.pubsub, ended);
}

function audit(
  db: Parameters<typeof recordAuditEvent>[0],
  ctx: Context,
  action: string,
  providerId: string,
  details: Record<string, number | boolean>,
) {
  return recordAuditEvent(db, {
    workspaceId: ctx.workspaceId,
    actor: { type: 'user', id: ctx.actorId },
    action,
    target: { type: 'oidc_provider', id: providerId },
    ip: ctx.ip,
    details,
  });
}
