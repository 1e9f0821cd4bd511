import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { countDataKeysByKek } from '../modules/encryption/data-key.repository.js';
import { findUnfinishedRotation } from '../modules/encryption/key-rotation.repository.js';
import { countLegacyRows } from '../modules/encryption/legacy.repository.js';
import { retireMasterKey, rotateMasterKey } from '../modules/encryption/manage-master-keys.js';
import { countRingSecrets, RING_SECRETS, type RingSecretCount } from '../modules/encryption/ring-secrets.js';
import { newMasterKey, openKeyRing } from '../platform/crypto/key-ring.js';
import type { DbHandle } from '../platform/db/create-db.js';
import { raiseFromCli } from './cli-alerts.js';
import { progressBar } from './progress.js';

export const KEYS_USAGE = `  keys status                        the master key ring and what each key wraps (data keys, secrets)
  keys generate                      print a new master key (for PARLEY_MASTER_KEY)
  keys rotate [--batch N]            re-wrap every data key and secret under a new master key; resumable
  keys retire --key ID               remove an old master key once nothing uses it`;

/** "3 data keys, 1 widget identity secrets and 2 TOTP secrets": the kinds a key wraps, empty ones left out. */
function wraps(dataKeys: number, secrets: RingSecretCount[], kekId: string): string {
  const parts = [`${dataKeys} data keys`];
  for (const s of secrets) {
    const n = s.byKek.get(kekId) ?? 0;
    if (n > 0) parts.push(`${n} ${s.label}`);
  }
  const last = parts.pop() as string;
  return parts.length > 0 ? `${parts.join(', ')} and ${last}` : last;
}

/** `parley keys …`: the master key ring. Parley keeps serving while these run. */
export async function keysCommand(
  config: Config,
  withDb: (run: (db: DbHandle) => Promise<number>) => Promise<number>,
  sub: string | undefined,
  args: string[],
): Promise<number> {
  if (sub === 'generate') {
    console.log(newMasterKey());
    return 0;
  }
  const { values } = parseArgs({ args, options: { batch: { type: 'string' }, key: { type: 'string' } } });
  const source = config.dataProtection.masterKey;
  const { ring } = openKeyRing(source);
  const where = source.kind === 'env' ? 'PARLEY_MASTER_KEY' : source.file;
  return withDb(async ({ db }) => {
    if (sub === 'status') {
      const counts = new Map((await countDataKeysByKek(db)).map((r) => [r.kek_id, Number(r.count)]));
      const secrets = await countRingSecrets(db);
      console.log(`Master key ring (${where}):`);
      for (const [i, id] of ring.ids.entries())
        console.log(
          `  ${id}  ${i === 0 ? 'current ' : 'previous'}  wraps ${wraps(counts.get(id) ?? 0, secrets, id)}`,
        );
      const missing = new Set([...counts.keys(), ...secrets.flatMap((s) => [...s.byKek.keys()])]);
      for (const id of missing)
        if (id !== null && !ring.ids.includes(id))
          console.log(`  ${id}  MISSING   wraps ${wraps(counts.get(id) ?? 0, secrets, id)}`);
      const pending = await findUnfinishedRotation(db);
      if (pending)
        console.log(
          `A rotation to ${pending.target_kek_id} is under way: run \`parley keys rotate\` to finish it.`,
        );
      const legacy = await countLegacyRows(db);
      if (legacy > 0)
        console.log(`${legacy} rows from before encryption at rest are not sealed yet (sealed at start).`);
      for (const s of secrets) {
        const n = s.byKek.get(null) ?? 0;
        if (n === 0) continue;
        console.log(`${n} ${s.label} ${s.unsealed}`);
      }
      return 0;
    }
    if (sub === 'rotate') {
      const batch = Number(values.batch ?? '500');
      if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) {
        console.error('--batch must be a whole number from 1 to 10000.');
        return 1;
      }
      const bar = progressBar('Re-wrapping data keys');
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      try {
        const r = await rotateMasterKey({
          db,
          ring,
          batchSize: batch,
          signal: stop.signal,
          onProgress: bar.update,
        });
        bar.finish();
        if (r.addedKekId)
          console.log(`Added master key ${r.addedKekId} to ${where}; it is now the current key.`);
        if (r.resumed) console.log(`Resumed the rotation to ${r.targetKekId}.`);
        console.log(`Re-wrapped ${r.rewrapped} data keys under ${r.targetKekId}; ${r.remaining} left.`);
        for (const s of r.secrets)
          if (s.rewrapped > 0) console.log(`Re-wrapped ${s.rewrapped} ${s.label} under ${r.targetKekId}.`);
        if (!r.finished || r.secrets.length < RING_SECRETS.length) {
          console.log('Interrupted: run `parley keys rotate` again to carry on.');
          return 1;
        }
        const secrets = r.secrets.reduce((n, s) => n + s.rewrapped, 0);
        if (r.rewrapped === 0 && secrets === 0 && !r.addedKekId && source.kind === 'env') {
          console.log(
            'Nothing to re-wrap. To rotate: `parley keys generate`, put the new key first in PARLEY_MASTER_KEY (keep the old one after it), restart every node, then run this again.',
          );
        }
        if (r.addedKekId || r.rewrapped > 0 || secrets > 0)
          await raiseFromCli({
            config,
            db,
            ring: () => ring,
            rule: 'key_rotation',
            facts: { event: 'rotated', key: r.targetKekId },
          });
        const old = ring.ids.slice(1);
        if (old.length > 0)
          console.log(
            `Every data key and secret now uses the current key. Remove old keys with: ${old.map((id) => `parley keys retire --key ${id}`).join('; ')}`,
          );
        return 0;
      } finally {
        process.off('SIGINT', onSignal);
      }
    }
    if (sub === 'retire') {
      if (!values.key) {
        console.error('Name the key: parley keys retire --key ID (see parley keys status).');
        return 1;
      }
      const outcome = await retireMasterKey({ db, ring, kekId: values.key });
      if (outcome.kind === 'refused') {
        console.error(outcome.reason);
        return 1;
      }
      console.log(outcome.kind === 'removed' ? `Removed ${values.key} from ${where}.` : outcome.hint);
      if (outcome.kind === 'removed')
        await raiseFromCli({
          config,
          db,
          ring: () => ring,
          rule: 'key_rotation',
          facts: { event: 'retired', key: values.key },
        });
      return 0;
    }
    console.error(`Unknown keys command.\n\n${KEYS_USAGE}`);
    return 1;
  });
}
