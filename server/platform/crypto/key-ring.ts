import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataProtectionConfig } from '../../config-data-protection.js';
import { isMasterKey } from '../../config-data-protection.js';
import { DecryptionError, openBytes, sealBytes } from './envelope.js';

export interface Kek {
  /** A fingerprint of the key (not the key): stored next to every data key it wraps. */
  readonly id: string;
  readonly key: Buffer;
}

type Source = DataProtectionConfig['masterKey'];

/**
 * The key-encryption keys (KEKs). The first key of the ring wraps new data keys; every key of the ring
 * can unwrap. With a key file, a key the ring does not know makes it re-read the file (at most once a
 * second), and wrapping checks whether the file changed, so a running node follows `parley keys rotate`
 * without a restart.
 */
export class KeyRing {
  private keys: Kek[];
  private fileStamp = '';
  private lastReload = 0;

  constructor(
    readonly source: Source,
    keys: readonly string[],
  ) {
    this.keys = parseKeys(keys);
    this.fileStamp = this.stamp();
  }

  get primary(): Kek {
    this.followFile();
    return this.keys[0] as Kek;
  }

  get ids(): string[] {
    return this.keys.map((k) => k.id);
  }

  find(id: string): Kek | undefined {
    let kek = this.keys.find((k) => k.id === id);
    if (!kek && this.source.kind === 'file' && Date.now() - this.lastReload > 1000) {
      this.lastReload = Date.now();
      this.reload();
      kek = this.keys.find((k) => k.id === id);
    }
    return kek;
  }

  wrap(dataKey: Buffer, aad: string): { kekId: string; wrapped: string } {
    const kek = this.primary;
    return { kekId: kek.id, wrapped: sealBytes(kek.key, aad, dataKey).toString('base64url') };
  }

  /** `what` names the value in errors: a data key unless said otherwise. */
  unwrap(kekId: string, wrapped: string, aad: string, what = `data key (${aad})`): Buffer {
    const kek = this.find(kekId);
    if (!kek) {
      throw new DecryptionError(
        `The ${what} is wrapped under master key ${kekId}, which is not in the key ring. Add it back to ${
          this.source.kind === 'env' ? 'PARLEY_MASTER_KEY' : this.source.file
        } (keys are removed only after \`parley keys rotate\`).`,
      );
    }
    return openBytes(kek.key, aad, Buffer.from(wrapped, 'base64url'), what);
  }

  reload(): void {
    if (this.source.kind !== 'file') return;
    this.keys = parseKeys(readKeyFile(this.source.file));
    this.fileStamp = this.stamp();
  }

  private followFile(): void {
    if (this.source.kind === 'file' && this.stamp() !== this.fileStamp) this.reload();
  }

  private stamp(): string {
    if (this.source.kind !== 'file') return '';
    try {
      const s = statSync(this.source.file);
      return `${s.mtimeMs}:${s.size}`;
    } catch {
      return '';
    }
  }
}

export function newMasterKey(): string {
  return randomBytes(32).toString('base64');
}

export function kekId(key: Buffer): string {
  return `k${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

function parseKeys(keys: readonly string[]): Kek[] {
  if (keys.length === 0) throw new Error('The master key ring is empty.');
  return keys.map((text) => {
    if (!isMasterKey(text)) throw new Error('A master key is not 32 bytes of base64.');
    const key = Buffer.from(text, 'base64');
    return { id: kekId(key), key };
  });
}

/** One base64 key per line, the current one first; `#` starts a comment. */
export function readKeyFile(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

/** Writes the ring atomically (temp file, then rename) with mode 0600. */
export function writeKeyFile(file: string, keys: readonly string[]): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const text = [
    '# Parley master keys: the first line encrypts new data keys; the others still unwrap older ones.',
    '# Losing this file makes every encrypted message unreadable. Back it up apart from the database.',
    ...keys,
    '',
  ].join('\n');
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/**
 * Opens the ring named by the configuration. `allowCreate` (first start of the embedded default)
 * makes a key file when there is none; otherwise a missing key is a refusal to start, never a fallback.
 */
export function openKeyRing(
  source: Source,
  options: { allowCreate?: boolean } = {},
): {
  ring: KeyRing;
  created: boolean;
} {
  if (source.kind === 'env') return { ring: new KeyRing(source, source.keys), created: false };
  if (!existsSync(source.file)) {
    if (!(options.allowCreate && source.create)) {
      throw new Error(
        `No master key: set PARLEY_MASTER_KEY, or provide the key file ${source.file} (PARLEY_MASTER_KEY_FILE).`,
      );
    }
    writeKeyFile(source.file, [newMasterKey()]);
    return { ring: new KeyRing(source, readKeyFile(source.file)), created: true };
  }
  const mode = statSync(source.file).mode & 0o777;
  if (mode & 0o077) {
    throw new Error(
      `The key file ${source.file} is readable by others (mode ${mode.toString(8)}); chmod 600 it.`,
    );
  }
  return { ring: new KeyRing(source, readKeyFile(source.file)), created: false };
}
