import { once } from 'node:events';
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadable } from 'node:stream/web';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { Decrypter, Encrypter } from 'age-encryption';
import { DumpError } from './dump-format.js';

/** How a file is sealed: an age passphrase (scrypt) or age recipients (X25519 public keys). */
export type Sealing = { passphrase: string; workFactor?: number } | { recipients: string[] } | null;
export type Unsealing = { passphrase: string } | { identities: string[] } | null;

const AGE_MAGIC = 'age-encryption.org/v1';
const AGE_ARMOR = '-----BEGIN AGE ENCRYPTED FILE-----';

/**
 * Writes lines to `file` as gzip, sealed with age when asked (the age format: authenticated, so a
 * changed byte is refused). The file appears under its name only when complete, with mode 0600.
 */
export async function writeLinesToFile(
  file: string,
  sealing: Sealing,
  produce: (write: (line: string) => Promise<void>) => Promise<void>,
): Promise<void> {
  const lines = new PassThrough();
  const gzip = createGzip();
  lines.pipe(gzip);
  let output: Readable = gzip;
  if (sealing) {
    const e = new Encrypter();
    if ('passphrase' in sealing) {
      if (sealing.workFactor) e.setScryptWorkFactor(sealing.workFactor);
      e.setPassphrase(sealing.passphrase);
    } else {
      for (const r of sealing.recipients) e.addRecipient(r);
    }
    const sealed = await e.encrypt(Readable.toWeb(gzip) as unknown as ReadableStream<Uint8Array>);
    output = Readable.fromWeb(sealed as unknown as WebReadable<Uint8Array>);
  }
  const partial = `${file}.partial-${process.pid}`;
  const written = pipeline(output, createWriteStream(partial, { mode: 0o600 }));
  try {
    await produce(async (line) => {
      if (!lines.write(`${line}\n`)) await once(lines, 'drain');
    });
    lines.end();
    await written;
    renameSync(partial, file);
  } catch (err) {
    lines.destroy();
    await written.catch(() => undefined);
    rmSync(partial, { force: true });
    throw err;
  }
}

export async function isSealedFile(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    const head = buffer.subarray(0, bytesRead).toString('latin1');
    return head.startsWith(AGE_MAGIC) || head.startsWith(AGE_ARMOR);
  } finally {
    await handle.close();
  }
}

/** Reads the lines back, unsealing first; wrong keys and damaged files end in a DumpError that says which. */
export async function* readLinesFromFile(file: string, unsealing: Unsealing): AsyncGenerator<string> {
  const sealed = await isSealedFile(file);
  if (sealed && !unsealing)
    throw new DumpError('This file is encrypted (age): give its passphrase or identity to read it.');
  if (!sealed && unsealing)
    throw new DumpError(
      'This file is not an encrypted Parley backup (no age header): was it made by parley export?',
    );
  let source: Readable = createReadStream(file);
  if (unsealing) {
    const d = new Decrypter();
    if ('passphrase' in unsealing) d.addPassphrase(unsealing.passphrase);
    else for (const i of unsealing.identities) d.addIdentity(i);
    try {
      const plain = await d.decrypt(Readable.toWeb(source) as unknown as ReadableStream<Uint8Array>);
      source = Readable.fromWeb(plain as unknown as WebReadable<Uint8Array>);
    } catch (err) {
      throw explain(err);
    }
  }
  const gunzip = createGunzip();
  const piping = pipeline(source, gunzip).catch((err: unknown) => gunzip.destroy(explain(err)));
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of gunzip) {
      rest += decoder.write(chunk as Buffer);
      let nl = rest.indexOf('\n');
      while (nl >= 0) {
        yield rest.slice(0, nl);
        rest = rest.slice(nl + 1);
        nl = rest.indexOf('\n');
      }
    }
  } catch (err) {
    throw explain(err);
  } finally {
    await piping;
  }
  rest += decoder.end();
  if (rest) yield rest;
}

function explain(err: unknown): Error {
  if (err instanceof DumpError) return err;
  const message = (err as Error)?.message ?? String(err);
  if (/no identity matched/i.test(message))
    return new DumpError('Wrong passphrase or identity: this file was not encrypted for it.');
  return new DumpError(`The file is damaged or has been tampered with (${message}); nothing was loaded.`);
}
