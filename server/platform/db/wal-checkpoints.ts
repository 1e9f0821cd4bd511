import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker copies the WAL into the database file. */
export const CHECKPOINT_INTERVAL_MS = 250;
/**
 * The writer's own automatic checkpoint, in pages, as a safety net only: the worker checkpoints long
 * before the WAL grows this far (about 40 MiB), unless it has stopped.
 */
export const WRITER_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * The worker's whole program, run with `eval` so it is the same in the build and in tests. Its own
 * connection runs PASSIVE checkpoints, which never block the writer or readers; with
 * synchronous=NORMAL SQLite syncs the WAL before a checkpoint and the database file after it.
 */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
db.pragma('synchronous = NORMAL');
let stopped = false;
const tick = () => {
  if (stopped) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    // Busy: another checkpoint (the writer's safety net) is running; the next tick tries again.
    if (!err || (err.code !== 'SQLITE_BUSY' && err.code !== 'SQLITE_LOCKED'))
      parentPort.postMessage({ failed: String(err && err.message) });
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
let timer = setTimeout(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  stopped = true;
  clearTimeout(timer);
  db.close();
  parentPort.postMessage({ stopped: true });
});
`;

/**
 * Checkpoints SQLite's WAL from a worker thread. Left to SQLite, the commit that crosses the
 * threshold copies the WAL into the database file and fsyncs it on the event loop, a pause of
 * milliseconds every thousand pages under load. Here the writer's automatic checkpoint is only a
 * safety net (WRITER_AUTOCHECKPOINT_PAGES) and a worker checkpoints every CHECKPOINT_INTERVAL_MS,
 * off the event loop; a page rewritten many times between two checkpoints is copied once.
 */
export class WalCheckpoints {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(file: string, onFailure: (message: string) => void = () => {}) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(PROGRAM, {
      eval: true,
      workerData: { file, driver, intervalMs: CHECKPOINT_INTERVAL_MS },
      // A clean environment: the worker needs nothing of the caller's.
      env: {},
    });
    this.worker.on('message', (m: { failed?: string }) => {
      if (m.failed) onFailure(m.failed);
    });
    // A worker that cannot start (or dies) leaves checkpoints to the writer's safety net.
    this.worker.on('error', (err) => onFailure(err.message));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.unref();
  }

  /** Stops the worker after any checkpoint in progress, closing its connection first. */
  async close(): Promise<void> {
    const stopped = new Promise<void>((resolve) =>
      this.worker.on('message', (m: { stopped?: boolean }) => m.stopped && resolve()),
    );
    this.worker.postMessage('stop');
    await Promise.race([stopped, this.exited]);
    await this.worker.terminate();
  }
}
