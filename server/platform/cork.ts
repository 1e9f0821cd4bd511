import type { Writable } from 'node:stream';

/**
 * When a corked stream's writes leave:
 * - `after-io`: once this turn's I/O callbacks have run (setImmediate), so every frame the
 *   callbacks of one poll cause for a socket (a message's ack, echo and receipt) shares a write;
 * - `after-callbacks`: once the current callback's promise callbacks have run (process.nextTick),
 *   for a request that someone awaits (a database query), which may not wait for the poll's other
 *   callbacks.
 */
export type Release = 'after-io' | 'after-callbacks';

let corked: Writable[] = [];

/**
 * Holds a stream's writes until the end of this turn of the event loop, so what one turn writes
 * leaves in one write (one system call, which on loopback also does the receiving end's TCP work)
 * instead of one each. The writes keep their order; nothing waits longer than the turn that wrote it.
 */
export function corkForThisTurn(stream: Writable, release: Release = 'after-io'): void {
  // Corked already: by this turn's first write (or by the stream's owner, inside one send).
  if (stream.writableCorked > 0 || stream.destroyed) return;
  stream.cork();
  if (release === 'after-callbacks') {
    process.nextTick(() => stream.uncork());
    return;
  }
  corked.push(stream);
  if (corked.length === 1) setImmediate(uncorkAll);
}

function uncorkAll(): void {
  const streams = corked;
  corked = [];
  for (const stream of streams) stream.uncork();
}
