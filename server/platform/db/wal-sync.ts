import { close, fdatasync as fsFdatasync, openSync } from 'node:fs';

type Fdatasync = (fd: number, done: (error: NodeJS.ErrnoException | null) => void) => void;

interface Waiter {
  upTo: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Puts SQLite's commits on disk from the thread pool instead of the event loop. SQLite runs with
 * synchronous=NORMAL, so a commit writes its WAL frames without an fsync; this then fdatasyncs the
 * WAL, one call at a time, and a commit's waiters resolve only once a sync that began after it has
 * finished. Commits made while a sync runs share the next one (a second level of group commit).
 * Durability is that of synchronous=FULL: nobody hears "done" before the frames are on disk.
 */
export class WalSync {
  private fd: number | null = null;
  private commits = 0;
  private durable = 0;
  private running = false;
  private waiters: Waiter[] = [];

  constructor(
    private readonly walPath: string,
    /** The system call; a test may hold it back (never replace it) to look inside the window. */
    private readonly fdatasync: Fdatasync = fsFdatasync,
  ) {}

  /** Every commit made so far is on disk (or its sync failed and its writers were told). */
  get idle(): boolean {
    return this.durable === this.commits;
  }

  /** Called right after a commit: resolves once that commit is on disk. */
  committed(): Promise<void> {
    this.commits += 1;
    const done = this.until(this.commits);
    this.start();
    return done;
  }

  /** Resolves when every commit made so far has been synced (whether or not the sync failed). */
  settled(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return this.until(this.commits).catch(() => {});
  }

  async close(): Promise<void> {
    await this.settled();
    const fd = this.fd;
    this.fd = null;
    if (fd !== null) await new Promise<void>((resolve) => close(fd, () => resolve()));
  }

  private until(upTo: number): Promise<void> {
    return new Promise<void>((resolve, reject) => this.waiters.push({ upTo, resolve, reject }));
  }

  private start(): void {
    if (this.running || this.idle) return;
    this.running = true;
    const upTo = this.commits;
    const finish = (error: unknown) => {
      this.running = false;
      this.durable = upTo;
      const ready = this.waiters.filter((w) => w.upTo <= upTo);
      this.waiters = this.waiters.filter((w) => w.upTo > upTo);
      for (const w of ready) error ? w.reject(error) : w.resolve();
      this.start();
    };
    try {
      // Opened at the first commit, when the WAL is sure to exist; it lives as long as the database.
      this.fd ??= openSync(this.walPath, 'r');
      this.fdatasync(this.fd, finish);
    } catch (error) {
      queueMicrotask(() => finish(error));
    }
  }
}
