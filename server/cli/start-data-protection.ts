import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import { countDataKeysByKek } from '../modules/encryption/data-key.repository.js';
import { sealLegacyRows } from '../modules/encryption/seal-legacy-rows.js';
import { Vault } from '../modules/encryption/vault.js';
import { createRetentionJob } from '../modules/retention/create-retention-job.js';
import { openKeyRing } from '../platform/crypto/key-ring.js';
import type { DbHandle } from '../platform/db/create-db.js';

/**
 * What `parley start` does for data protection before serving: open the key ring (the embedded
 * default makes a key file on first start, and says to back it up), seal rows written before
 * encryption at rest; and after: run the retention scheduler.
 */
export async function openVaultForStart(config: Config, db: DbHandle): Promise<Vault> {
  const source = config.dataProtection.masterKey;
  if (source.kind === 'file') {
    // A missing key file with encrypted data in the database is a lost key, not a first start.
    const existing = await countDataKeysByKek(db.db);
    const { ring, created } = openKeyRing(source, { allowCreate: existing.length === 0 });
    if (created) {
      console.log(`\nCreated the master key file ${source.file} (mode 0600).`);
      console.log(
        '  Back it up now, apart from the database and its backups: without it, messages cannot be read.',
      );
    }
    return new Vault(ring, { cacheSize: config.dataProtection.keyCacheSize });
  }
  return new Vault(openKeyRing(source).ring, { cacheSize: config.dataProtection.keyCacheSize });
}

export async function afterStart(options: {
  config: Config;
  db: DbHandle;
  vault: Vault;
  log: FastifyBaseLogger;
}): Promise<() => Promise<void>> {
  const { config, db, vault, log } = options;
  const sealed = await sealLegacyRows({ db: db.db, vault });
  if (sealed > 0) log.info({ sealed }, 'sealed rows written before encryption at rest');
  const job = createRetentionJob({ db: db.db, vault, config, log });
  job.start(config.dataProtection.retentionIntervalSeconds, (err) =>
    log.error({ err }, 'retention run failed'),
  );
  return () => job.stop();
}
