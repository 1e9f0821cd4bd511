import type { KeyRing } from '../../platform/crypto/key-ring.js';
import { kekOfRingSealed } from '../../platform/crypto/ring-seal.js';
import type { Db } from '../../platform/db/schema.js';
import { listTotpSecrets, replaceTotpSecret } from './totp.repository.js';
import { openTotpSecret, sealTotpSecret } from './totp-secret-seal.js';

/**
 * Part of `parley keys rotate`: re-wraps every TOTP secret under the ring's current master key, so
 * the older key can be retired. Idempotent; a secret re-enrolled meanwhile is not overwritten.
 * Secrets still sealed with the retired mfa.key are left to the move at start.
 */
export async function resealTotpSecrets(o: { db: Db; ring: KeyRing }): Promise<number> {
  let changed = 0;
  for (const row of await listTotpSecrets(o.db)) {
    const kek = kekOfRingSealed(row.secret_sealed);
    if (kek === null || kek === o.ring.primary.id) continue;
    const secret = openTotpSecret(o.ring, row.user_id, row.secret_sealed);
    const sealed = sealTotpSecret(o.ring, row.user_id, secret);
    if (await replaceTotpSecret(o.db, row.id, row.secret_sealed, sealed)) changed += 1;
  }
  return changed;
}

/** How many TOTP secrets each master key wraps, and how many are not under the ring yet (`null`). */
export async function countTotpSecretsByKek(db: Db): Promise<Map<string | null, number>> {
  const counts = new Map<string | null, number>();
  for (const row of await listTotpSecrets(db)) {
    const kek = kekOfRingSealed(row.secret_sealed);
    counts.set(kek, (counts.get(kek) ?? 0) + 1);
  }
  return counts;
}
