import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type { Executor } from './schema.js';

/** How often the worker copies the WAL into the database file. */
export const CHECKPOINT_INTERVAL_MS = 250;
/**
 * The writer's own automatic checkpoint, in pages (about 40 MiB of WAL). SQLite starts the WAL over
 * only at a write that begins after a complete checkpoint, which under continuous writes only the
 * writer's own checkpoint, right after its commit, can be; by then the worker has copied nearly all
 * of it. It is also the safety net if the worker stops.
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
 * threshold (1,000 pages) copies the WAL into the database file and fsyncs it on the event loop, a
 * pause of milliseconds several times a second under load. Here a worker copies what was committed
 * every CHECKPOINT_INTERVAL_MS, off the event loop, and the writer's own checkpoint comes ten times
 * less often (WRITER_AUTOCHECKPOINT_PAGES) and finds little left to copy; a page rewritten many times
 * between two checkpoints (a busy conversation's row, an index's last page) is copied once.
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
    // Unreferenced while it runs, it must hold the process open now: otherwise a command waiting
    // here with nothing else to do would end the process with exit code 0 before its own.
    this.worker.ref();
    this.worker.postMessage('stop');
    await Promise.race([stopped, this.exited]);
    await this.worker.terminate();
  }
}

/** How long an explicit checkpoint waits out one the worker is running, in tries of 20 ms. */
const TRUNCATE_TRIES = 100;

/**
 * Copies the whole WAL into the database file and empties it (erasure, a restore): afterwards no
 * byte of an old page image is left in the WAL file. Only one connection checkpoints at a time, and
 * SQLite answers a checkpoint that finds the worker's under way (or a reader in the way) with
 * `busy` instead of an error: it is tried again until it completes, and an error if it never does.
 */
export async function truncateWal(db: Executor): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const { rows } = await sql<{ busy: number }>`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    if (Number(rows[0]?.busy ?? 0) === 0) return;
    if (attempt >= TRUNCATE_TRIES) throw new Error('the WAL could not be emptied: the database stayed busy');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
