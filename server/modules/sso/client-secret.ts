import { fieldAad } from '../../platform/crypto/envelope.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import { kekOfRingSealed, openWithRing, sealWithRing } from '../../platform/crypto/ring-seal.js';
import type { Db } from '../../platform/db/schema.js';
import { listAllProviders, replaceClientSecret } from './provider.repository.js';

/**
 * A provider's client secret is sent to its token endpoint, so Parley must read it back: sealed
 * under the master key ring with the provider's id as associated data, like widget identity secrets.
 */
const aad = (providerId: string) => fieldAad('oidc_providers', 'client_secret', providerId);

export function sealClientSecret(ring: KeyRing, secret: string, providerId: string): string {
  return sealWithRing(ring, aad(providerId), secret);
}

export function openClientSecret(ring: KeyRing, sealed: string, providerId: string): string {
  return openWithRing(ring, aad(providerId), sealed);
}

/** `parley keys rotate`: re-wraps every client secret under an older master key. */
export async function rewrapClientSecrets(o: { db: Db; ring: KeyRing }): Promise<number> {
  let changed = 0;
  for (const row of await listAllProviders(o.db)) {
    if (kekOfRingSealed(row.client_secret) === o.ring.primary.id) continue;
    const secret = openClientSecret(o.ring, row.client_secret, row.id);
    if (await replaceClientSecret(o.db, row.id, row.client_secret, sealClientSecret(o.ring, secret, row.id)))
      changed += 1;
  }
  return changed;
}

export async function countClientSecretsByKek(db: Db): Promise<Map<string | null, number>> {
  const counts = new Map<string | null, number>();
  for (const row of await listAllProviders(db)) {
    const kek = kekOfRingSealed(row.client_secret);
    counts.set(kek, (counts.get(kek) ?? 0) + 1);
  }
  return counts;
}
