import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SETTINGS } from './config.js';

describe('configuration', () => {
  it('has working defaults: loopback, port 8080, SQLite under ./data, in-process pub/sub', () => {
    const c = loadConfig({}, '/srv/parley');
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      // A host name, not 127.0.0.1: passkeys (WebAuthn) need one.
      publicUrl: 'http://localhost:8080',
      redisUrl: null,
    });
    expect(c.database).toEqual({ kind: 'sqlite', file: '/srv/parley/data/parley.sqlite' });
    expect(c.sessionIdleMs).toBe(30 * 60_000);
    expect(c.sessionAbsoluteMs).toBe(12 * 3_600_000);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reports every violation at once', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        PARLEY_PORT: 'eighty',
        PARLEY_HOST: 'not-an-ip',
        DATABASE_URL: 'mysql://x',
        REDIS_URL: 'http://x',
        PARLEY_LOG_LEVEL: 'loud',
        PARLEY_SESSION_IDLE_MINUTES: '0',
        PARLEY_DATABASE_PREPARED: 'maybe',
        PARLEY_TYPO: '1',
      });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error?.problems.join('\n') ?? '';
    for (const key of [
      'PARLEY_PORT',
      'PARLEY_HOST',
      'DATABASE_URL',
      'REDIS_URL',
      'PARLEY_LOG_LEVEL',
      'PARLEY_SESSION_IDLE_MINUTES',
      'PARLEY_DATABASE_PREPARED',
      'PARLEY_TYPO',
    ]) {
      expect(text).toContain(key);
    }
  });

  it('runs PostgreSQL statements prepared unless PARLEY_DATABASE_PREPARED is off', () => {
    const url = 'postgres://db.example.com/parley';
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({
      kind: 'postgres',
      url,
      preparedStatements: true,
    });
    expect(loadConfig({ DATABASE_URL: url, PARLEY_DATABASE_PREPARED: 'off' }).database).toEqual({
      kind: 'postgres',
      url,
      preparedStatements: false,
    });
  });

  it('refuses a non-loopback address without TLS unless a TLS proxy is named', () => {
    expect(() => loadConfig({ PARLEY_HOST: '0.0.0.0' })).toThrow(/without TLS/);
    expect(() =>
      loadConfig({ PARLEY_HOST: '0.0.0.0', PARLEY_PUBLIC_URL: 'http://chat.example.com' }),
    ).toThrow(ConfigError);
    const behindProxy = loadConfig({
      PARLEY_HOST: '0.0.0.0',
      PARLEY_TRUSTED_PROXIES: '10.0.0.5',
      PARLEY_PUBLIC_URL: 'https://chat.example.com',
    });
    expect(behindProxy.publicOrigin).toBe('https://chat.example.com');
    expect(behindProxy.trustedProxies).toEqual(['10.0.0.5']);
  });

  it('is documented: the README configuration table lists every setting with its default', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const [key, setting] of Object.entries(SETTINGS)) {
      const row = readme.split('\n').find((line) => new RegExp(`^\\|\\s*\`${key}\`\\s*\\|`).test(line));

      expect(row, `README row for ${key}`).toBeDefined();
      if (/^[\w.:/<>-]+$/.test(setting.default)) expect(row).toContain(setting.default);
    }
  });

  it('reads a JSON file, with the environment taking precedence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-config-'));
    writeFileSync(join(dir, 'parley.json'), JSON.stringify({ PARLEY_PORT: 9000, PARLEY_LOG_LEVEL: 'warn' }));
    const c = loadConfig({ PARLEY_CONFIG_FILE: 'parley.json', PARLEY_LOG_LEVEL: 'error' }, dir);
    expect(c.port).toBe(9000);
    expect(c.logLevel).toBe('error');
    expect(() => loadConfig({ PARLEY_CONFIG_FILE: 'missing.json' }, dir)).toThrow(/PARLEY_CONFIG_FILE/);
  });
});
