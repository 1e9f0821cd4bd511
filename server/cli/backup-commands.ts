import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import type { Config } from '../config.js';
import { createAttachmentStore } from '../modules/attachments/attachment-store.js';
import { dumpDatabase, importDatabase, restoreDatabase } from '../modules/backups/database-files.js';
import type { DbHandle } from '../platform/db/create-db.js';
import type { Sealing, Unsealing } from '../platform/db/dump/dump-file.js';
import { backupPassphrase, confirm } from './passphrase.js';
import { progressBar } from './progress.js';

export const BACKUP_USAGE = `  backup --out FILE [--recipient AGE1…]   encrypted backup of the whole database (age; passphrase or recipient key)
  backup-keygen --out FILE           make an age identity file for --recipient / --identity; prints the recipient
  restore --in FILE [--identity FILE] [--yes]  replace the database with a backup, then re-apply every erasure
  export --out FILE                  all rows as a plain dump, to move to another database (import)
  import --in FILE                   load an export into an empty database (SQLite or PostgreSQL)`;

type WithDb = (run: (db: DbHandle) => Promise<number>) => Promise<number>;

export async function backupCommand(
  config: Config,
  withDb: WithDb,
  command: string,
  args: string[],
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      out: { type: 'string' },
      in: { type: 'string' },
      recipient: { type: 'string', multiple: true },
      identity: { type: 'string', multiple: true },
      yes: { type: 'boolean' },
    },
  });
  if (command === 'backup-keygen') {
    if (!values.out) return usage('parley backup-keygen --out FILE');
    const identity = await generateX25519Identity();
    const recipient = await identityToRecipient(identity);
    writeFileSync(resolve(values.out), `# recipient: ${recipient}\n${identity}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    console.log(`Wrote the identity (secret) to ${values.out}. Keep it away from the backups.`);
    console.log(`Recipient for parley backup --recipient: ${recipient}`);
    return 0;
  }
  if (command === 'backup' || command === 'export') {
    if (!values.out) return usage(`parley ${command} --out FILE`);
    const file = resolve(values.out);
    let sealing: Sealing = null;
    if (command === 'backup') {
      sealing = values.recipient?.length
        ? { recipients: values.recipient }
        : {
            passphrase: await backupPassphrase({
              configured: config.dataProtection.backupPassphrase,
              confirm: true,
            }),
          };
    }
    return withDb(async ({ db, dialect }) => {
      const bar = progressBar(command === 'backup' ? 'Backing up' : 'Exporting');
      const header = await dumpDatabase({
        db,
        dialect,
        file,
        sealing,
        attachments: createAttachmentStore(config),
        onProgress: (d, t, table) => bar.update(d, t, table),
      });
      bar.finish();
      const rows = header.tables.reduce((n, t) => n + t.rows, 0);
      console.log(
        `Wrote ${rows} rows of ${header.tables.length} tables to ${file}${sealing ? ' (encrypted with age)' : ''}.`,
      );
      if (!sealing)
        console.log(
          'The export is not encrypted (visitor data inside is, under the master key): keep it safe and delete it after the import.',
        );
      console.log('Visitor data in it needs the master key ring to read: keep that backed up separately.');
      return 0;
    });
  }
  if (command === 'restore' || command === 'import') {
    if (!values.in) return usage(`parley ${command} --in FILE`);
    const file = resolve(values.in);
    let unsealing: Unsealing = null;
    if (command === 'restore') {
      unsealing = values.identity?.length
        ? { identities: values.identity.flatMap((f) => readIdentities(f)) }
        : {
            passphrase: await backupPassphrase({
              configured: config.dataProtection.backupPassphrase,
              confirm: false,
            }),
          };
      if (
        !values.yes &&
        !(await confirm('Restore replaces every row of this database with the backup. Go on?'))
      ) {
        console.error('Not restored. Stop Parley first, then run again (add --yes when not on a terminal).');
        return 1;
      }
    }
    return withDb(async ({ db, dialect }) => {
      const bar = progressBar(command === 'restore' ? 'Restoring' : 'Importing');
      const onProgress = (d: number, t: number, table: string) => bar.update(d, t, table);
      if (command === 'restore') {
        const r = await restoreDatabase({ db, dialect, file, unsealing, onProgress });
        bar.finish();
        console.log(
          `Restored ${r.rows} rows; re-applied erasures removed ${r.erasuresReapplied} visitors again.`,
        );
      } else {
        const r = await importDatabase({ db, dialect, file, onProgress });
        bar.finish();
        console.log(`Imported ${r.rows} rows into ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}.`);
      }
      return 0;
    });
  }
  return usage(BACKUP_USAGE);
}

function readIdentities(file: string): string[] {
  return readFileSync(resolve(file), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('AGE-SECRET-KEY-'));
}

function usage(text: string): number {
  console.error(`Usage: ${text}`);
  return 1;
}
