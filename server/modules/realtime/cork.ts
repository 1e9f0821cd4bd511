import type { Writable } from 'node:stream';

let corked: Writable[] = [];

/**
 * Holds a socket's writes until the end of this turn of the event loop, so the frames one message
 * causes (the ack, the echo, the receipt) leave in one write instead of one system call each. The
 * frames keep their order; nothing waits longer than the turn that sent it.
 */
export function corkForThisTurn(stream: Writable): void {
  // Corked already: by this turn's first frame (or by ws itself, inside one send).
  if (stream.writableCorked > 0 || stream.destroyed) return;
  stream.cork();
  corked.push(stream);
  if (corked.length === 1) setImmediate(uncorkAll);
}

function uncorkAll(): void {
  const streams = corked;
  corked = [];
  for (const stream of streams) stream.uncork();
}
