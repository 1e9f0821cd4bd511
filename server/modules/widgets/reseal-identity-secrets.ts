import type { KeyRing } from '../../platform/crypto/key-ring.js';
import { kekOfRingSealed } from '../../platform/crypto/ring-seal.js';
import type { Db } from '../../platform/db/schema.js';
import { isUnsealedWidgetSecret, openWidgetSecret, sealWidgetSecret } from '../visitors/widget-secret.js';
import { listStoredIdentitySecrets, replaceStoredIdentitySecret } from './identity-secret.repository.js';

/**
 * Seals widget identity secrets under the ring's current master key. `unsealedOnly` (at every start)
 * seals those stored as is before they were sealed; without it (`parley keys rotate`) those under an
 * older master key are re-wrapped too. Idempotent: a secret already under the current key is left
 * alone, and one rotated meanwhile by an administrator is not overwritten.
 */
export async function resealIdentitySecrets(o: {
  db: Db;
  ring: KeyRing;
  unsealedOnly?: boolean;
}): Promise<number> {
  let changed = 0;
  for (const row of await listStoredIdentitySecrets(o.db)) {
    const stored = row.identity_secret as string;
    const unsealed = isUnsealedWidgetSecret(stored);
    if (!unsealed && (o.unsealedOnly || kekOfRingSealed(stored) === o.ring.primary.id)) continue;
    const secret = openWidgetSecret(o.ring, stored, row.id) as string;
    const sealed = sealWidgetSecret(o.ring, secret, row.id);
    if (await replaceStoredIdentitySecret(o.db, row.id, stored, sealed)) changed += 1;
  }
  return changed;
}

/** How many identity secrets each master key wraps, and how many are not sealed yet (`null`). */
export async function countIdentitySecretsByKek(db: Db): Promise<Map<string | null, number>> {
  const counts = new Map<string | null, number>();
  for (const row of await listStoredIdentitySecrets(db)) {
    const kek = kekOfRingSealed(row.identity_secret as string);
    counts.set(kek, (counts.get(kek) ?? 0) + 1);
  }
  return counts;
}
