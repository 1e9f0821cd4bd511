import cluster, { type Worker } from 'node:cluster';
import { WORKER_SLOT } from '../config.js';

/** How a worker's restarts are spaced: at once after a long life, backing off while it keeps dying. */
const QUICK_DEATH_MS = 10_000;
const MAX_RESTART_DELAY_MS = 30_000;
/** A drain takes at most ~10 s (main.ts); a worker still there after this is killed. */
const STOP_GRACE_MS = 25_000;

export interface WorkerSupervisor {
  /** Resolves once every worker listens; rejects if one ends before it ever listened. */
  ready: Promise<void>;
  /** SIGTERM to every worker (each drains: 503s, last acks, sockets closed with 1012), then waits. */
  stop(): Promise<void>;
}

/**
 * `parley start` with several workers (node:cluster): the primary process only supervises. It forks
 * `count` workers, each a complete node (its own pub/sub connection, database pool, leases and id)
 * serving the shared port, which the primary hands out connection by connection (round robin). A
 * worker that dies is forked again, at once the first time and with growing delays while it keeps
 * dying within seconds of starting, so a crash loop does not spin. Messages between sockets of
 * different workers go through Redis exactly as between machines.
 */
export function superviseWorkers(count: number, log: (line: string) => void): WorkerSupervisor {
  let stopping = false;
  const startedAt = new Map<Worker, number>();
  const delays = new Map<number, number>();
  const slots = new Map<Worker, number>();
  let resolveReady: () => void = () => {};
  let rejectReady: (err: Error) => void = () => {};
  let started = false;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = () => {
      started = true;
      resolve();
    };
    rejectReady = reject;
  });
  const listening = new Set<number>();

  const fork = (slot: number): void => {
    const worker = cluster.fork({ [WORKER_SLOT]: String(slot) });
    startedAt.set(worker, Date.now());
    slots.set(worker, slot);
    // A worker says so once it is fully started (main.ts), after it printed its own line: the
    // banner comes after every worker's, and means every one serves.
    worker.on('message', (message: { parley?: unknown } | null) => {
      if (message?.parley !== 'serving') return;
      listening.add(slot);
      if (listening.size === count) resolveReady();
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    const slot = slots.get(worker) ?? 0;
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    slots.delete(worker);
    startedAt.delete(worker);
    if (stopping) return;
    // A worker that could not start (a port taken, the database unreachable) would not start the
    // next time either: the start fails, as a single process's would.
    if (!started) {
      stopping = true;
      rejectReady(new Error(`worker ${slot} ended before it listened (${signal ?? `exit ${code}`})`));
      return;
    }
    const previous = delays.get(slot) ?? 0;
    const delay = lived < QUICK_DEATH_MS ? Math.min(MAX_RESTART_DELAY_MS, Math.max(1_000, previous * 2)) : 0;
    delays.set(slot, delay);
    log(
      `Worker ${slot} (pid ${worker.process.pid}) ended (${signal ?? `exit ${code}`}); starting it again${delay ? ` in ${delay / 1000} s` : ''}.`,
    );
    setTimeout(() => {
      if (!stopping) fork(slot);
    }, delay).unref();
  });

  for (let slot = 1; slot <= count; slot++) fork(slot);

  return {
    ready,
    async stop() {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS);
              worker.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              worker.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
