import type { KeyRing } from '../../platform/crypto/key-ring.js';
import { kekOfRingSealed } from '../../platform/crypto/ring-seal.js';
import type { Db } from '../../platform/db/schema.js';
import { listSealedBindPasswords, replaceBindPassword } from './directory.repository.js';
import { openBindPassword, sealBindPassword } from './directory-settings.js';

/**
 * Part of `parley keys rotate`: the directories' search passwords are sealed under the master key ring
 * itself, so a rotation re-wraps them under the current key before an old key may be retired.
 * Idempotent: one already under the current key is left alone.
 */
export async function rewrapBindPasswords(o: { db: Db; ring: KeyRing }): Promise<number> {
  let rewrapped = 0;
  for (const row of await listSealedBindPasswords(o.db)) {
    if (kekOfRingSealed(row.bind_password) === o.ring.primary.id) continue;
    const resealed = sealBindPassword(o.ring, row.id, openBindPassword(o.ring, row));
    if (await replaceBindPassword(o.db, row.id, row.bind_password, resealed)) rewrapped += 1;
  }
  return rewrapped;
}

/** How many search passwords each master key wraps (for `keys status` and `keys retire`). */
export async function countBindPasswordsByKek(db: Db): Promise<Map<string | null, number>> {
  const counts = new Map<string | null, number>();
  for (const row of await listSealedBindPasswords(db)) {
    const kek = kekOfRingSealed(row.bind_password);
    counts.set(kek, (counts.get(kek) ?? 0) + 1);
  }
  return counts;
}
