import { createHmac } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/**
 * The worker's whole program, run with `eval` so it is the same in the build and in tests: HMAC-SHA-256
 * of each value under the batch's key, truncated and in base64url, exactly as `keyedDigest` below.
 */
const PROGRAM = `
const { parentPort } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
parentPort.on('message', ({ id, key, values, bytes }) => {
  try {
    const k = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
    const out = values.map((v) =>
      createHmac('sha256', k).update(v, 'utf8').digest().subarray(0, bytes).toString('base64url'),
    );
    parentPort.postMessage({ id, out });
  } catch (err) {
    parentPort.postMessage({ id, failed: String(err && err.message) });
  }
});
`;

/** HMAC-SHA-256 of `value` under `key`, its first `bytes` bytes in base64url, on this thread. */
export function keyedDigest(key: Buffer, value: string, bytes: number): string {
  return createHmac('sha256', key).update(value, 'utf8').digest().subarray(0, bytes).toString('base64url');
}

type Pending = { resolve: (out: string[]) => void; reject: (err: Error) => void };

/**
 * Keyed digests computed on a worker thread. The search index hashes every word and word beginning
 * of a message (about 35 HMACs, some 150 µs of CPU); on the event loop that was most of what a
 * message cost once it was stored, and every socket waited behind it. The worker starts at the first
 * batch; it holds the process open only while a batch is pending, and if it dies, what was pending
 * fails (the caller's batch is tried again later) and the next batch starts a new one.
 */
export class HmacWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private closed = false;

  /** The digest of each value, in order; the key is copied to the worker with the batch. */
  digest(key: Buffer, values: string[], bytes: number): Promise<string[]> {
    if (this.closed) return Promise.reject(new Error('the digest worker is closed'));
    if (values.length === 0) return Promise.resolve([]);
    const worker = this.worker ?? this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A command awaiting a digest must not end because only this worker is left running.
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, key: new Uint8Array(key), values, bytes });
    });
  }

  /** Ends the worker; whatever is still pending fails. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.failPending(new Error('the digest worker is closed'));
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = new Worker(PROGRAM, { eval: true, env: {} });
    worker.on('message', (m: { id: number; out?: string[]; failed?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if (m.out) p.resolve(m.out);
      else p.reject(new Error(m.failed ?? 'digest failed'));
    });
    const gone = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failPending(err);
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`the digest worker stopped (exit code ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private failPending(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
