import type { Executor } from '../../platform/db/schema.js';
import type { OidcProvidersTable } from '../../platform/db/schema-sso.js';

export async function insertProvider(db: Executor, row: OidcProvidersTable): Promise<void> {
  await db.insertInto('oidc_providers').values(row).execute();
}

export async function updateProviderRow(
  db: Executor,
  workspaceId: string,
  id: string,
  changes: Partial<Omit<OidcProvidersTable, 'id' | 'workspace_id' | 'created_at'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('oidc_providers')
    .set(changes)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteProviderRow(db: Executor, workspaceId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('oidc_providers')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) return false;
  await db.deleteFrom('oidc_links').where('provider_id', '=', id).execute();
  await db.deleteFrom('oidc_login_states').where('provider_id', '=', id).execute();
  await db.deleteFrom('oidc_provider_rechecks').where('provider_id', '=', id).execute();
  return true;
}

export async function findProvider(db: Executor, id: string): Promise<OidcProvidersTable | undefined> {
  return db.selectFrom('oidc_providers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listProviders(db: Executor, workspaceId: string): Promise<OidcProvidersTable[]> {
  return db
    .selectFrom('oidc_providers')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function countProviders(db: Executor, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('oidc_providers')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every provider, for the sign-in screen's domain lookup and key rotation (a handful per workspace). */
export async function listAllProviders(db: Executor): Promise<OidcProvidersTable[]> {
  return db.selectFrom('oidc_providers').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function replaceClientSecret(
  db: Executor,
  id: string,
  from: string,
  to: string,
): Promise<boolean> {
  const r = await db
    .updateTable('oidc_providers')
    .set({ client_secret: to })
    .where('id', '=', id)
    .where('client_secret', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function findSsoOnly(db: Executor, workspaceId: string): Promise<boolean> {
  const row = await db
    .selectFrom('sso_settings')
    .select('sso_only')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row?.sso_only === 1;
}

export async function upsertSsoOnly(db: Executor, workspaceId: string, ssoOnly: boolean, at: string) {
  await db
    .insertInto('sso_settings')
    .values({ workspace_id: workspaceId, sso_only: ssoOnly ? 1 : 0, updated_at: at })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ sso_only: ssoOnly ? 1 : 0, updated_at: at }))
    .execute();
}
