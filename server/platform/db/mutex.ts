/** One holder at a time, in arrival order. */
export class Mutex {
  private held = false;
  private readonly queue: Array<() => void> = [];

  /**
   * A free lock is taken at once, with a promise made only once: every message takes a lock like
   * this twice (its transaction, then its group's commit), nearly always free.
   */
  lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return TAKEN;
    }
    return new Promise<void>((resolve) => this.queue.push(resolve));
  }

  /** Hands the lock to the next in line, or frees it. */
  unlock(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.held = false;
  }

  /** How many wait for the lock now. */
  get waiting(): number {
    return this.queue.length;
  }
}

const TAKEN = Promise.resolve();
