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
import { type RotationResult, rotateDataKeys } from './rotate-data-keys.js';

/**
 * `parley keys rotate`. With a key file, a new KEK is put first in the file (unless a rotation is
 * under way, which is resumed instead); with PARLEY_MASTER_KEY the operator puts the new key first
 * and restarts the nodes beforehand. Then every data key is re-wrapped under the first key.
 */
export async function rotateMasterKey(options: {
  db: Db;
  ring: KeyRing;
  batchSize: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}): Promise<RotationResult & { addedKekId: string | null }> {
  const { db, ring } = options;
  let addedKekId: string | null = null;
  const pending = await findUnfinishedRotation(db);
  const underWay = pending !== undefined && pending.target_kek_id === ring.primary.id;
  if (!underWay && (await countKeysNotUnder(db, ring.primary.id)) === 0 && ring.source.kind === 'file') {
    const key = newMasterKey();
    writeKeyFile(ring.source.file, [key, ...readKeyFile(ring.source.file)]);
    ring.reload();
    addedKekId = idOfKey(Buffer.from(key, 'base64'));
  }
  const result = await rotateDataKeys(options);
  return { ...result, addedKekId };
}

export type RetireOutcome =
  | { kind: 'removed' }
  | { kind: 'unused'; hint: string }
  | { kind: 'refused'; reason: string };

/** Removes an old KEK from the ring once no data key is wrapped under it any more. */
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
  if (inUse && Number(inUse.count) > 0) {
    return {
      kind: 'refused',
      reason: `${Number(inUse.count)} data keys are still wrapped under ${kekId}; run \`parley keys rotate\` first.`,
    };
  }
  if (ring.source.kind === 'env') {
    return {
      kind: 'unused',
      hint: `No data key uses ${kekId}; remove it from PARLEY_MASTER_KEY and restart.`,
    };
  }
  const kept = readKeyFile(ring.source.file).filter((k) => idOfKey(Buffer.from(k, 'base64')) !== kekId);
  writeKeyFile(ring.source.file, kept);
  ring.reload();
  return { kind: 'removed' };
}
