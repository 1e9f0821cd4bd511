import type { Config } from '../config.js';
import { Vault } from '../modules/encryption/vault.js';
import { backfillSearchIndex } from '../modules/search/backfill-search-index.js';
import { openKeyRing } from '../platform/crypto/key-ring.js';
import type { Db } from '../platform/db/schema.js';

/**
 * `parley search reindex`: indexes every stored message and visitor profile for search, in bounded
 * batches (messages stored before search existed, or a database restored from elsewhere). Safe to run
 * while nodes serve and to run again: it adds only what is missing.
 */
export async function searchCommand(config: Config, db: Db, sub: string | undefined): Promise<number> {
  if (sub !== 'reindex') {
    console.error('Usage: parley search reindex');
    return 1;
  }
  const { ring } = openKeyRing(config.dataProtection.masterKey);
  const vault = new Vault(ring, { cacheSize: 10_000 });
  const result = await backfillSearchIndex({ db, vault });
  console.log(`Indexed ${result.messages} message(s) and ${result.profiles} visitor profile(s).`);
  return 0;
}
