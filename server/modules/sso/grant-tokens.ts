import { fieldAad } from '../../platform/crypto/envelope.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import { kekOfRingSealed, openWithRing, sealWithRing } from '../../platform/crypto/ring-seal.js';
import type { Db, Executor } from '../../platform/db/schema.js';
import type { GrantTokens } from './oidc-client.js';

/**
 * A provider's refresh token is a credential for the person's account there: sealed under the master
 * key ring with the link as associated data (a value moved to another link does not open), like the
 * providers' client secrets, and re-wrapped by `parley keys rotate`.
 */
const aad = (linkId: string) => fieldAad('oidc_links', 'tokens', linkId);

export function sealGrantTokens(ring: KeyRing, linkId: string, tokens: GrantTokens): string | null {
  if (!tokens.refresh && !tokens.access) return null;
  return sealWithRing(ring, aad(linkId), JSON.stringify(tokens));
}

export function openGrantTokens(ring: KeyRing, linkId: string, sealed: string | null): GrantTokens {
  if (!sealed) return {};
  const value = JSON.parse(openWithRing(ring, aad(linkId), sealed)) as GrantTokens;
  return {
    ...(typeof value.refresh === 'string' ? { refresh: value.refresh } : {}),
    ...(typeof value.access === 'string' ? { access: value.access } : {}),
    ...(typeof value.accessExpiresAt === 'string' ? { accessExpiresAt: value.accessExpiresAt } : {}),
  };
}

export async function storeGrantTokens(
  db: Executor,
  linkId: string,
  sealed: string | null,
  checkedAt: string,
): Promise<void> {
  await db
    .updateTable('oidc_links')
    .set({ tokens: sealed, checked_at: checkedAt })
    .where('id', '=', linkId)
    .execute();
}

function listSealed(db: Db) {
  return db
    .selectFrom('oidc_links')
    .select(['id', 'tokens'])
    .where('tokens', 'is not', null)
    .orderBy('id')
    .execute();
}

/** `parley keys rotate`: re-wraps every stored token under an older master key. */
export async function rewrapGrantTokens(o: { db: Db; ring: KeyRing }): Promise<number> {
  let changed = 0;
  for (const row of await listSealed(o.db)) {
    const sealed = row.tokens as string;
    if (kekOfRingSealed(sealed) === o.ring.primary.id) continue;
    const resealed = sealGrantTokens(o.ring, row.id, openGrantTokens(o.ring, row.id, sealed));
    // Only the value read is replaced: a re-check storing newer tokens meanwhile wins.
    const r = await o.db
      .updateTable('oidc_links')
      .set({ tokens: resealed })
      .where('id', '=', row.id)
      .where('tokens', '=', sealed)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) changed += 1;
  }
  return changed;
}

export async function countGrantTokensByKek(db: Db): Promise<Map<string | null, number>> {
  const counts = new Map<string | null, number>();
  for (const row of await listSealed(db)) {
    const kek = kekOfRingSealed(row.tokens as string);
    counts.set(kek, (counts.get(kek) ?? 0) + 1);
  }
  return counts;
}
