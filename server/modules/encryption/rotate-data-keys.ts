import { randomUUID } from 'node:crypto';
import { nowIso } from '../../platform/clock.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import { listKeysNotUnder, rewrapDataKey } from './data-key.repository.js';
import {
  addRewrapped,
  countKeysNotUnder,
  findUnfinishedRotation,
  finishRotation,
  finishRotationsNotTowards,
  insertRotation,
} from './key-rotation.repository.js';
import { dataKeyAad } from './vault.js';

export interface RotationResult {
  rotationId: string;
  targetKekId: string;
  resumed: boolean;
  rewrapped: number;
  remaining: number;
  finished: boolean;
}

/**
 * Re-wraps every data key under the ring's current KEK, batch by batch, each batch one transaction.
 * Parley keeps serving meanwhile: a node reads a data key under whichever KEK wraps it at that moment,
 * as long as both are in its ring. Stopping (`signal`) leaves a consistent state; running again
 * resumes the same rotation with what is left. When none is left, older KEKs can leave the ring.
 */
export async function rotateDataKeys(options: {
  db: Db;
  ring: KeyRing;
  batchSize: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}): Promise<RotationResult> {
  const { db, ring, batchSize } = options;
  const target = ring.primary.id;
  await finishRotationsNotTowards(db, target, nowIso());
  const open = await findUnfinishedRotation(db);
  const rotationId = open?.id ?? randomUUID();
  if (!open) {
    await insertRotation(db, {
      id: rotationId,
      workspace_id: '*',
      target_kek_id: target,
      started_at: nowIso(),
      finished_at: null,
      rewrapped: 0,
    });
  }
  const total = await countKeysNotUnder(db, target);
  let done = 0;
  options.onProgress?.(done, total);
  while (!options.signal?.aborted) {
    const rows = await listKeysNotUnder(db, target, batchSize);
    if (rows.length === 0) break;
    const n = await db.transaction().execute(async (trx) => {
      let changed = 0;
      const at = nowIso();
      for (const row of rows) {
        const aad = dataKeyAad({ id: row.id, workspaceId: row.workspace_id, purpose: row.purpose });
        const next = ring.wrap(ring.unwrap(row.kek_id, row.wrapped, aad), aad);
        if (await rewrapDataKey(trx, row, { ...next, at })) changed += 1;
      }
      await addRewrapped(trx, rotationId, changed);
      return changed;
    });
    done += n;
    options.onProgress?.(done, Math.max(total, done));
  }
  const remaining = await countKeysNotUnder(db, target);
  if (remaining === 0) await finishRotation(db, rotationId, nowIso());
  return {
    rotationId,
    targetKekId: target,
    resumed: Boolean(open),
    rewrapped: done,
    remaining,
    finished: remaining === 0,
  };
}
