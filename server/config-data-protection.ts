import { resolve } from 'node:path';

/**
 * Settings for encryption at rest, backups and retention. They are part of SETTINGS in config.ts
 * (and so of the README table); this file only parses them from the values config.ts hands over.
 */
export const DATA_PROTECTION_SETTINGS = {
  PARLEY_MASTER_KEY: {
    default: '(unset: key file)',
    doc: 'Master key ring: comma-separated base64 keys of 32 bytes, the first encrypts new data keys, the others only unwrap (for rotation).',
  },
  PARLEY_MASTER_KEY_FILE: {
    default: '<data dir>/master.keys',
    doc: 'Key ring file (one base64 key per line, first is current). Created 0600 on first start with SQLite when missing; back it up.',
  },
  PARLEY_BACKUP_PASSPHRASE: {
    default: '(unset: prompt)',
    doc: 'Passphrase for parley backup and restore (at least 12 characters); otherwise asked on the terminal, or use --recipient / --identity.',
  },
  PARLEY_KEY_CACHE_SIZE: { default: '10000', doc: 'Decrypted data keys kept in memory per node.' },
  PARLEY_RETENTION_INTERVAL_SECONDS: {
    default: '60',
    doc: 'How often the retention scheduler runs (one node at a time).',
  },
  PARLEY_RETENTION_BATCH_SIZE: { default: '500', doc: 'Rows handled per retention batch.' },
} as const;

type Key = keyof typeof DATA_PROTECTION_SETTINGS;

export interface DataProtectionConfig {
  /** Where the master key ring comes from. `create`: the embedded default may make a new key file. */
  readonly masterKey:
    | { readonly kind: 'env'; readonly keys: readonly string[] }
    | { readonly kind: 'file'; readonly file: string; readonly create: boolean };
  readonly backupPassphrase: string | null;
  readonly keyCacheSize: number;
  readonly retentionIntervalSeconds: number;
  readonly retentionBatchSize: number;
}

export const MIN_PASSPHRASE_CHARS = 12;

export function readDataProtection(options: {
  get: (key: Key) => string | undefined;
  int: (key: Key, min: number, max: number) => number;
  problems: string[];
  dataDir: string;
  cwd: string;
  /** SQLite without DATABASE_URL: one machine, so a key file made on first start is safe. */
  embedded: boolean;
}): DataProtectionConfig {
  const { get, int, problems } = options;
  const ring = get('PARLEY_MASTER_KEY');
  let masterKey: DataProtectionConfig['masterKey'];
  if (ring) {
    const keys = ring
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    keys.forEach((k, i) => {
      if (!isMasterKey(k))
        problems.push(
          `PARLEY_MASTER_KEY: key ${i + 1} is not 32 bytes of base64 (make one: parley keys generate).`,
        );
    });
    if (new Set(keys).size !== keys.length) problems.push('PARLEY_MASTER_KEY lists the same key twice.');
    masterKey = { kind: 'env', keys };
  } else {
    const file = get('PARLEY_MASTER_KEY_FILE');
    masterKey = {
      kind: 'file',
      file: file ? resolve(options.cwd, file) : resolve(options.dataDir, 'master.keys'),
      create: options.embedded,
    };
  }
  const backupPassphrase = get('PARLEY_BACKUP_PASSPHRASE') ?? null;
  if (backupPassphrase !== null && backupPassphrase.length < MIN_PASSPHRASE_CHARS)
    problems.push(`PARLEY_BACKUP_PASSPHRASE must be at least ${MIN_PASSPHRASE_CHARS} characters.`);
  return {
    masterKey,
    backupPassphrase,
    keyCacheSize: int('PARLEY_KEY_CACHE_SIZE', 100, 10_000_000),
    retentionIntervalSeconds: int('PARLEY_RETENTION_INTERVAL_SECONDS', 5, 86_400),
    retentionBatchSize: int('PARLEY_RETENTION_BATCH_SIZE', 10, 10_000),
  };
}

/** A master key is exactly 32 random bytes, written in standard or URL-safe base64. */
export function isMasterKey(text: string): boolean {
  return /^[A-Za-z0-9+/_-]{43}=?$/.test(text) && Buffer.from(text, 'base64').length === 32;
}
