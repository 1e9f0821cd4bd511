import type { KeyRing } from '../../platform/crypto/key-ring.js';
import { kekOfRingSealed } from '../../platform/crypto/ring-seal.js';
import type { Db } from '../../platform/db/schema.js';
import { listStoredOutboxBodies, replaceOutboxBody } from '../../platform/mail/outbox.repository.js';
import { isUnsealedOutboxBody, openOutboxBody, sealOutboxBody } from '../../platform/mail/outbox-body.js';

/**
 * Seals outbox mail under the ring's current master key. `unsealedOnly` (at every start) seals mail
 * written in plain text before outbox mail was sealed; without it (`parley keys rotate`) mail under
 * an older master key is re-wrapped too. Idempotent.
 */
export async function resealOutboxMail(o: {
  db: Db;
  ring: KeyRing;
  unsealedOnly?: boolean;
}): Promise<number> {
  let changed = 0;
  for (const row of await listStoredOutboxBodies(o.db)) {
    const unsealed = isUnsealedOutboxBody(row.body);
    if (!unsealed && (o.unsealedOnly || kekOfRingSealed(row.body) === o.ring.primary.id)) continue;
    const sealed = sealOutboxBody(o.ring, row.id, openOutboxBody(o.ring, row.id, row.body));
    if (await replaceOutboxBody(o.db, row.id, row.body, sealed)) changed += 1;
  }
  return changed;
}

/** How many outbox mails each master key wraps, and how many are not sealed yet (`null`). */
export async function countOutboxMailByKek(db: Db): Promise<Map<string | null, number>> {
  const counts = new Map<string | null, number>();
  for (const row of await listStoredOutboxBodies(db)) {
    const kek = kekOfRingSealed(row.body);
    counts.set(kek, (counts.get(kek) ?? 0) + 1);
  }
  return counts;
}
