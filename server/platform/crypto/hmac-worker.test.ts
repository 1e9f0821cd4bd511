import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { HmacWorker, keyedDigest } from './hmac-worker.js';

/**
 * The worker computes the same digests as this thread does (the search index's hashes must not
 * depend on where they were computed), keeps batches apart, and fails clearly once closed.
 */
describe('keyed digests on a worker thread', () => {
  let worker: HmacWorker;
  afterEach(async () => worker?.close());

  it('gives exactly the digests computed on this thread, for each batch and key', async () => {
    worker = new HmacWorker();
    const values = ['w:refund', 'p:ref', 'w:größe', 'w:日本語', 'w:', `w:${'x'.repeat(500)}`];
    const keys = [randomBytes(32), randomBytes(32)];
    const [a, b] = await Promise.all(keys.map((key) => worker.digest(key, values, 16)));
    expect(a).toEqual(values.map((v) => keyedDigest(keys[0] as Buffer, v, 16)));
    expect(b).toEqual(values.map((v) => keyedDigest(keys[1] as Buffer, v, 16)));
    expect(a).not.toEqual(b);
    expect(await worker.digest(randomBytes(32), [], 16)).toEqual([]);
  });

  it('refuses work once closed, and fails what was still pending', async () => {
    worker = new HmacWorker();
    const pending = worker.digest(
      randomBytes(32),
      Array.from({ length: 2000 }, (_, i) => `w:${i}`),
      16,
    );
    const failed = expect(pending).rejects.toThrow(/closed/);
    await worker.close();
    await failed;
    await expect(worker.digest(randomBytes(32), ['w:a'], 16)).rejects.toThrow(/closed/);
  });
});
