import {
  kekId as idOfKey,
  type KeyRing,
  newMasterKey,
  readKeyFile,
  writeKeyFile,
} from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import { countDataKeysByKek } from './data-key.repository.js';
import { countKeysNotUnder, findUnfinishedRotation } from './key-rotation.repository.js';
import { countRingSecrets, RING_SECRETS, underOtherKeys } from './ring-secrets.js';
import { type RotationResult, rotateDataKeys } from './rotate-data-keys.js';

/**
 * `parley keys rotate`. With a key file, a new KEK is put first in the file (unless a rotation is
 * under way, which is resumed instead); with PARLEY_MASTER_KEY the operator puts the new key first
 * and restarts the nodes beforehand. Then every data key is re-wrapped under the first key, and
 * after them every secret sealed under the ring itself (RING_SECRETS).
 */
export async function rotateMasterKey(options: {
  db: Db;
  ring: KeyRing;
  batchSize: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}): Promise<
  RotationResult & { addedKekId: string | null; secrets: Array<{ label: string; rewrapped: number }> }
> {
  const { db, ring } = options;
  let addedKekId: string | null = null;
  const pending = await findUnfinishedRotation(db);
  const underWay = pending !== undefined && pending.target_kek_id === ring.primary.id;
  // Secrets still under an older key also mean "not done yet": finish this rotation, add no key.
  const leftBehind = async () =>
    (await countKeysNotUnder(db, ring.primary.id)) +
    underOtherKeys(await countRingSecrets(db), ring.primary.id);
  if (!underWay && ring.source.kind === 'file' && (await leftBehind()) === 0) {
    const key = newMasterKey();
    writeKeyFile(ring.source.file, [key, ...readKeyFile(ring.source.file)]);
    ring.reload();
    addedKekId = idOfKey(Buffer.from(key, 'base64'));
  }
  const result = await rotateDataKeys(options);
  const secrets: Array<{ label: string; rewrapped: number }> = [];
  if (result.finished) {
    for (const kind of RING_SECRETS) {
      if (options.signal?.aborted) break;
      secrets.push({ label: kind.label, rewrapped: await kind.rewrap({ db, ring }) });
    }
  }
  return { ...result, addedKekId, secrets };
}

export type RetireOutcome =
  | { kind: 'removed' }
  | { kind: 'unused'; hint: string }
  | { kind: 'refused'; reason: string };

/** Removes an old KEK from the ring once no data key and no ring-sealed secret is under it any more. */
export async function retireMasterKey(options: {
  db: Db;
  ring: KeyRing;
  kekId: string;
}): Promise<RetireOutcome> {
  const { db, ring, kekId } = options;
  if (!ring.ids.includes(kekId)) return { kind: 'refused', reason: `${kekId} is not in the key ring.` };
  if (ring.primary.id === kekId)
    return { kind: 'refused', reason: `${kekId} is the current key; rotate to a new key first.` };
  const inUse = (await countDataKeysByKek(db)).find((r) => r.kek_id === kekId);
  const needed = [
    { label: 'data keys', count: Number(inUse?.count ?? 0) },
    ...(await countRingSecrets(db)).map((c) => ({ label: c.label, count: c.byKek.get(kekId) ?? 0 })),
  ].filter((n) => n.count > 0);
  if (needed.length > 0) {
    return {
      kind: 'refused',
      reason: `${needed.map((n) => `${n.count} ${n.label}`).join(', ')} are still wrapped under ${kekId}; run \`parley keys rotate\` first.`,
    };
  }
  if (ring.source.kind === 'env') {
    return {
      kind: 'unused',
      hint: `Nothing uses ${kekId} any more; remove it from PARLEY_MASTER_KEY and restart.`,
    };
  }
  const kept = readKeyFile(ring.source.file).filter((k) => idOfKey(Buffer.from(k, 'base64')) !== kekId);
  writeKeyFile(ring.source.file, kept);
  ring.reload();
  return { kind: 'removed' };
}
