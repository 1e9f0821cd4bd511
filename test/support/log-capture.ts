import { Writable } from 'node:stream';

/** A log destination that keeps every line a node writes, for tests that read the server log. */
export function logCapture(lines: string[] = []): { stream: Writable; lines: string[] } {
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { stream, lines };
}
