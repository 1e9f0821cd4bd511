import { describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from './config.js';

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64url');

describe('data-protection settings', () => {
  it('defaults to a key file in the data directory, created on first start only with SQLite', () => {
    const embedded = loadConfig({}, '/srv/parley');
    expect(embedded.dataProtection.masterKey).toEqual({
      kind: 'file',
      file: '/srv/parley/data/master.keys',
      create: true,
    });
    const pg = loadConfig({ DATABASE_URL: 'postgres://db/parley' }, '/srv/parley');
    expect(pg.dataProtection.masterKey).toMatchObject({ kind: 'file', create: false });
    expect(embedded.dataProtection).toMatchObject({
      keyCacheSize: 10_000,
      retentionIntervalSeconds: 60,
      retentionBatchSize: 500,
      backupPassphrase: null,
    });
  });

  it('reads a key ring from PARLEY_MASTER_KEY, current key first, in either base64 alphabet', () => {
    const c = loadConfig({ PARLEY_MASTER_KEY: `${KEY_A}, ${KEY_B}` });
    expect(c.dataProtection.masterKey).toEqual({ kind: 'env', keys: [KEY_A, KEY_B] });
  });

  it('refuses weak or malformed keys and passphrases, every problem at once', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        PARLEY_MASTER_KEY: `${KEY_A},${KEY_A},c2hvcnQ=`,
        PARLEY_BACKUP_PASSPHRASE: 'short',
        PARLEY_KEY_CACHE_SIZE: '5',
        PARLEY_RETENTION_INTERVAL_SECONDS: '1',
      });
    } catch (err) {
      error = err as ConfigError;
    }
    const text = error?.problems.join('\n') ?? '';
    expect(text).toContain('PARLEY_MASTER_KEY: key 3 is not 32 bytes of base64');
    expect(text).toContain('PARLEY_MASTER_KEY lists the same key twice');
    expect(text).toContain('PARLEY_BACKUP_PASSPHRASE must be at least 12 characters');
    expect(text).toContain('PARLEY_KEY_CACHE_SIZE');
    expect(text).toContain('PARLEY_RETENTION_INTERVAL_SECONDS');
  });
});
