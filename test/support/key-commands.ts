import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { keysCommand } from '../../server/cli/key-commands.js';
import { kekId, writeKeyFile } from '../../server/platform/crypto/key-ring.js';
import { TEST_MASTER_KEY } from './keys.js';
import type { TestServer } from './test-server.js';

/** A key ring file holding TEST_MASTER_KEY, and the settings that make a node use it. */
export function keyFileSetup(): { file: string; env: Record<string, string>; firstKekId: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'parley-keys-')), 'master.keys');
  writeKeyFile(file, [TEST_MASTER_KEY]);
  return {
    file,
    env: { PARLEY_MASTER_KEY: '', PARLEY_MASTER_KEY_FILE: file },
    firstKekId: kekId(Buffer.from(TEST_MASTER_KEY, 'base64')),
  };
}

/** `parley keys <sub>` itself, run against the node's database; what it prints is returned. */
export async function runKeysCommand(
  server: TestServer,
  sub: string,
  args: string[] = [],
): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((m: string) => void lines.push(m));
  const err = vi.spyOn(console, 'error').mockImplementation((m: string) => void lines.push(m));
  try {
    const code = await keysCommand(server.config, (run) => run(server.db), sub, args);
    return { code, out: lines.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

/** Rotates to a new master key and retires the old one, as an operator would; returns the new key id. */
export async function rotateAndRetire(server: TestServer, oldKekId: string): Promise<string> {
  const rotated = await runKeysCommand(server, 'rotate');
  if (rotated.code !== 0) throw new Error(`keys rotate failed:\n${rotated.out}`);
  const added = /Added master key (k[0-9a-f]{12})/.exec(rotated.out)?.[1];
  if (!added) throw new Error(`keys rotate added no key:\n${rotated.out}`);
  const retired = await runKeysCommand(server, 'retire', ['--key', oldKekId]);
  if (retired.code !== 0) throw new Error(`keys retire failed:\n${retired.out}`);
  return added;
}
