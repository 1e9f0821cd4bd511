import type { Db } from '../../platform/db/schema.js';
import { countUsers } from '../users/lookups.js';

export async function setupStatus(options: { db: Db }): Promise<{ needsSetup: boolean }> {
  return { needsSetup: (await countUsers(options.db)) === 0 };
}
