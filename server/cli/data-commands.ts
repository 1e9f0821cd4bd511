import type { Config } from '../config.js';
import { createDb, type DbHandle } from '../platform/db/create-db.js';
import { migrateToLatest } from '../platform/db/migrate.js';
import { BACKUP_USAGE, backupCommand } from './backup-commands.js';
import { INCIDENT_USAGE, sessionsCommand } from './incident-commands.js';
import { KEYS_USAGE, keysCommand } from './key-commands.js';
import { VISITOR_USAGE, visitorCommand } from './visitor-commands.js';

/** The data-protection commands of the `parley` CLI (see main.ts for the rest). */
export const DATA_COMMANDS = new Set([
  'keys',
  'backup',
  'backup-keygen',
  'restore',
  'export',
  'import',
  'erase',
  'visitor',
  'retention',
  'sessions',
]);

export const DATA_USAGE = [KEYS_USAGE, BACKUP_USAGE, VISITOR_USAGE, INCIDENT_USAGE].join('\n');

export async function runDataCommand(config: Config, command: string, args: string[]): Promise<number> {
  const withDb = async (run: (db: DbHandle) => Promise<number>) => {
    const db = createDb(config.database);
    try {
      await migrateToLatest(db.db);
      return await run(db);
    } finally {
      await db.close();
    }
  };
  try {
    if (command === 'sessions') return await sessionsCommand(config, withDb, args);
    if (command === 'keys') return await keysCommand(config, withDb, args[0], args.slice(1));
    if (command === 'erase' || command === 'visitor' || command === 'retention')
      return await visitorCommand(config, withDb, command, [...args]);
    return await backupCommand(config, withDb, command, args);
  } catch (err) {
    // Clear refusals (wrong passphrase, damaged file, no master key) without a stack trace.
    console.error(`parley ${command}: ${(err as Error).message}`);
    return 1;
  }
}
