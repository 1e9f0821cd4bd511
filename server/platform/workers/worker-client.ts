import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from './module-worker.js';

type Pending<Res> = { resolve: (out: Res) => void; reject: (err: Error) => void };
type Reply<Res> = { id: number; out?: Res; failed?: string };

/**
 * Requests to a worker thread running the module at `url` (serve-requests.ts on its side), answered
 * in any order. The worker starts at the first request; it holds the process open only while a request
 * is pending, so a command awaiting it cannot end early, and an idle node is not kept alive by it. If
 * it dies, what was pending fails (the caller tries again later) and the next request starts a new one.
 */
export class WorkerClient<Req, Res> {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending<Res>>();
  private next = 0;
  private closed = false;

  constructor(
    private readonly url: URL,
    private readonly name: string,
  ) {}

  request(req: Req): Promise<Res> {
    if (this.closed) return Promise.reject(new Error(`the ${this.name} is closed`));
    const worker = this.worker ?? this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, req });
    });
  }

  /** Ends the worker; whatever is still pending fails. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.failPending(new Error(`the ${this.name} is closed`));
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = startModuleWorker(this.url);
    worker.on('message', (m: Reply<Res>) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if (m.failed === undefined) p.resolve(m.out as Res);
      else p.reject(new Error(m.failed));
    });
    const gone = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failPending(err);
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`the ${this.name} stopped (exit code ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private failPending(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
