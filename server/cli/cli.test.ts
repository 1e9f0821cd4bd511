import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv } from '../../test/support/clean-env.js';
import { freePort } from '../../test/support/test-server.js';

const MAIN = new URL('../../dist/server/main.js', import.meta.url).pathname;

function parley(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: cleanEnv(env) });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** The built `parley` command, as an operator runs it (SQLite, the embedded default). */
describe('the parley command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGTERM');
  });

  it('creates the master key file (0600) on first start and says to back it up', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN, 'start'], {
      env: cleanEnv({
        PARLEY_DATA_DIR: join(dir, 'data'),
        PARLEY_PORT: String(port),
        PARLEY_LOG_LEVEL: 'warn',
      }),
    });
    children.push(child);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d) => {
        out += d;
        if (out.includes('Parley is running')) resolve();
      });
      child.on('exit', () => reject(new Error(`parley start exited: ${out}`)));
    });
    expect(out).toContain(`Created the master key file ${join(dir, 'data', 'master.keys')} (mode 0600).`);
    expect(out).toMatch(/Back it up now/);
    expect(statSync(join(dir, 'data', 'master.keys')).mode & 0o777).toBe(0o600);
    const stopped = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await stopped;
  }, 60_000); // a whole server process starting: loads everything and migrates a new database

  // Each step below starts the CLI a few times (each process loads Parley and opens the database and
  // its keys): a step of its own each, in order, on the data directory the first start made.
  const env = { PARLEY_DATA_DIR: join(dir, 'data'), PARLEY_BACKUP_PASSPHRASE: 'a passphrase long enough' };

  it('backs up, refuses a wrong passphrase clearly, asks before restoring, restores', async () => {
    const backup = await parley(['backup', '--out', join(dir, 'b.age')], env);
    expect(backup.code, backup.out).toBe(0);
    expect(readFileSync(join(dir, 'b.age')).subarray(0, 21).toString()).toBe('age-encryption.org/v1');

    const wrong = await parley(['restore', '--in', join(dir, 'b.age'), '--yes'], {
      ...env,
      PARLEY_BACKUP_PASSPHRASE: 'another long passphrase',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain(
      'parley restore: Wrong passphrase or identity: this file was not encrypted for it.',
    );
    const unconfirmed = await parley(['restore', '--in', join(dir, 'b.age')], env);
    expect(unconfirmed.code).toBe(1);
    const restored = await parley(['restore', '--in', join(dir, 'b.age'), '--yes'], env);
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toMatch(/Restored \d+ rows/);
  }, 120_000);

  it('rotates the master key and shows the ring', async () => {
    const rotate = await parley(['keys', 'rotate'], env);
    expect(rotate.code, rotate.out).toBe(0);
    expect(rotate.out).toMatch(/Added master key k[0-9a-f]{12}/);
    const status = await parley(['keys', 'status'], env);
    expect(status.out).toMatch(/current/);
    expect(status.out).toMatch(/previous/);
  }, 120_000);

  it('refuses to run without its key file, and with a malformed key', async () => {
    // Encrypted data without its key file: refuse, never make a new key.
    const other = { PARLEY_DATA_DIR: join(dir, 'data'), PARLEY_MASTER_KEY_FILE: join(dir, 'missing.keys') };
    const refused = await parley(['keys', 'status'], other);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('No master key');
    const bad = await parley(['keys', 'status'], { ...env, PARLEY_MASTER_KEY: 'short' });
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('PARLEY_MASTER_KEY: key 1 is not 32 bytes of base64');
  }, 120_000);
});
