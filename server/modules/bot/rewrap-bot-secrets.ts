import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import { kekOfSealedSecret, openWebhookSecret, sealWebhookSecret } from './bot-secret.js';
import { listSealedBotSecrets, replaceSealedBotSecret } from './bot-secret.repository.js';

/**
 * Part of `parley keys rotate`: the external-bot signing secrets are wrapped under the master key
 * ring itself (not under a data key), so a rotation re-wraps them under the current key too; only
 * then may the old key be retired. Idempotent: a secret already under the current key is left alone.
 */
export async function rewrapBotSecrets(o: { db: Db; ring: KeyRing }): Promise<number> {
  let rewrapped = 0;
  for (const row of await listSealedBotSecrets(o.db)) {
    const sealed = row.external_bot_secret as string;
    if (kekOfSealedSecret(sealed) === o.ring.primary.id) continue;
    const secret = openWebhookSecret(o.ring, row.widget_id, sealed);
    const resealed = sealWebhookSecret(o.ring, row.widget_id, secret);
    if (await replaceSealedBotSecret(o.db, row.widget_id, sealed, resealed)) rewrapped += 1;
  }
  return rewrapped;
}

/** How many signing secrets each master key wraps (for `keys status` and `keys retire`). */
export async function countBotSecretsByKek(db: Db): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const row of await listSealedBotSecrets(db)) {
    const kek = kekOfSealedSecret(row.external_bot_secret as string);
    counts.set(kek, (counts.get(kek) ?? 0) + 1);
  }
  return counts;
}
