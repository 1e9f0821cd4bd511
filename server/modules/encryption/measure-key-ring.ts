import type { Db } from '../../platform/db/schema.js';
import { countDataKeysByKek } from './data-key.repository.js';
import type { Vault } from './vault.js';

/**
 * The key ring as Prometheus sees it: how many master keys, and how many data keys still wait to be
 * re-wrapped under the primary one (non-zero between `parley keys rotate` and its end). Key ids are
 * fingerprints, but they stay out of the labels all the same: counts say what an operator needs.
 */
export async function measureKeyRing(
  db: Db,
  vault: Vault,
): Promise<{ keys: number; dataKeysOnOlderKeys: number }> {
  const primary = vault.ring.primary.id;
  const counts = await countDataKeysByKek(db);
  const older = counts.filter((r) => r.kek_id !== primary).reduce((n, r) => n + Number(r.count), 0);
  return { keys: vault.ring.ids.length, dataKeysOnOlderKeys: older };
}
