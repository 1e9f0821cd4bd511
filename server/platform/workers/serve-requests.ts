import { parentPort } from 'node:worker_threads';

/**
 * The worker's side of WorkerClient: each request's answer, or its failure's message (never its
 * stack: what the caller logs says what failed, not where in the worker).
 */
export function serveRequests<Req, Res>(handle: (req: Req) => Res): void {
  const port = parentPort;
  if (!port) throw new Error('serveRequests runs in a worker thread.');
  port.on('message', ({ id, req }: { id: number; req: Req }) => {
    try {
      port.postMessage({ id, out: handle(req) });
    } catch (err) {
      port.postMessage({ id, failed: String((err as Error)?.message ?? err) });
    }
  });
}
