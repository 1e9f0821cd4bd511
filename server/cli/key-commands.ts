import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { countBotSecretsByKek, rewrapBotSecrets } from '../modules/bot/rewrap-bot-secrets.js';
import { countDataKeysByKek } from '../modules/encryption/data-key.repository.js';
import { findUnfinishedRotation } from '../modules/encryption/key-rotation.repository.js';
import { countLegacyRows } from '../modules/encryption/legacy.repository.js';
import { retireMasterKey, rotateMasterKey } from '../modules/encryption/manage-master-keys.js';
import { newMasterKey, openKeyRing } from '../platform/crypto/key-ring.js';
import type { DbHandle } from '../platform/db/create-db.js';
import { progressBar } from './progress.js';

export const KEYS_USAGE = `  keys status                        the master key ring and how many data keys each key wraps
  keys generate                      print a new master key (for PARLEY_MASTER_KEY)
  keys rotate [--batch N]            re-wrap every data key under a new master key; resumable
  keys retire --key ID               remove an old master key once no data key uses it`;

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
      console.log(`Master key ring (${where}):`);
      const secrets = await countBotSecretsByKek(db);
      const also = (id: string) => (secrets.get(id) ? ` and ${secrets.get(id)} bot signing secrets` : '');
      for (const [i, id] of ring.ids.entries())
        console.log(
          `  ${id}  ${i === 0 ? 'current ' : 'previous'}  wraps ${counts.get(id) ?? 0} data keys${also(id)}`,
        );
      for (const [id, n] of counts)
        if (!ring.ids.includes(id)) console.log(`  ${id}  MISSING   wraps ${n} data keys${also(id)}`);
      for (const [id, n] of secrets)
        if (!ring.ids.includes(id) && !counts.has(id))
          console.log(`  ${id}  MISSING   wraps ${n} bot signing secrets`);
      const pending = await findUnfinishedRotation(db);
      if (pending)
        console.log(
          `A rotation to ${pending.target_kek_id} is under way: run \`parley keys rotate\` to finish it.`,
        );
      const legacy = await countLegacyRows(db);
      if (legacy > 0)
        console.log(`${legacy} rows from before encryption at rest are not sealed yet (sealed at start).`);
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
        if (!r.finished) {
          console.log('Interrupted: run `parley keys rotate` again to carry on.');
          return 1;
        }
        const secrets = await rewrapBotSecrets({ db, ring });
        if (secrets > 0)
          console.log(`Re-wrapped ${secrets} external bot signing secrets under ${r.targetKekId}.`);
        if (r.rewrapped === 0 && !r.addedKekId && source.kind === 'env') {
          console.log(
            'Nothing to re-wrap. To rotate: `parley keys generate`, put the new key first in PARLEY_MASTER_KEY (keep the old one after it), restart every node, then run this again.',
          );
        }
        const old = ring.ids.slice(1);
        if (old.length > 0)
          console.log(
            `Every data key now uses the current key. Remove old keys with: ${old.map((id) => `parley keys retire --key ${id}`).join('; ')}`,
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
      const secrets = (await countBotSecretsByKek(db)).get(values.key) ?? 0;
      if (secrets > 0) {
        console.error(
          `${secrets} external bot signing secrets are still wrapped under ${values.key}; run \`parley keys rotate\` first.`,
        );
        return 1;
      }
      const outcome = await retireMasterKey({ db, ring, kekId: values.key });
      if (outcome.kind === 'refused') {
        console.error(outcome.reason);
        return 1;
      }
      console.log(outcome.kind === 'removed' ? `Removed ${values.key} from ${where}.` : outcome.hint);
      return 0;
    }
    console.error(`Unknown keys command.\n\n${KEYS_USAGE}`);
    return 1;
  });
}
