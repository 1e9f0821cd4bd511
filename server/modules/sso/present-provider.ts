import type { OidcProvider, RoleMapping } from '../../../protocol/sso.js';
import type { Config } from '../../config.js';
import type { OidcProviderRechecksTable, OidcProvidersTable } from '../../platform/db/schema-sso.js';

export const CALLBACK_PATH = '/api/v1/auth/oidc/callback';

export function callbackUrl(config: Pick<Config, 'publicUrl'>): string {
  return `${config.publicUrl}${CALLBACK_PATH}`;
}

/**
 * What administrators see of a provider: everything but the secret, the addresses to register, and
 * how its last re-check went.
 */
export function presentProvider(
  row: OidcProvidersTable,
  config: Pick<Config, 'publicUrl'>,
  recheck?: OidcProviderRechecksTable,
): OidcProvider {
  return {
    id: row.id,
    name: row.name,
    issuer: row.issuer,
    clientId: row.client_id,
    scopes: JSON.parse(row.scopes) as string[],
    groupsClaim: row.groups_claim,
    mappings: JSON.parse(row.mappings) as RoleMapping[],
    domains: JSON.parse(row.domains) as string[],
    linkExistingAccounts: row.link_existing === 1,
    trustProviderMfa: row.trust_provider_mfa === 1,
    mfaAcrValues: JSON.parse(row.mfa_acr_values) as string[],
    redirectUri: callbackUrl(config),
    backchannelLogoutUri: `${config.publicUrl}/api/v1/auth/oidc/${row.id}/backchannel-logout`,
    lastRecheck: recheck
      ? {
          at: recheck.checked_at,
          result: recheck.result === 'ok' ? 'ok' : 'unreachable',
          accounts: recheck.accounts,
          ended: recheck.ended,
          roleChanges: recheck.role_changes,
        }
      : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function parseMappings(row: Pick<OidcProvidersTable, 'mappings'>): RoleMapping[] {
  return JSON.parse(row.mappings) as RoleMapping[];
}
