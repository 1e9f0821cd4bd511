const noop = () => {};

/**
 * Runs a task at most once at a time. A call while it runs waits for one more run that starts after
 * it, and every call that arrives before that run starts shares it: so each caller is answered by a
 * run that began after its call (it sees what the caller committed), and a burst of calls costs two
 * runs, not one each.
 */
export class SingleFlight {
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  get idle(): boolean {
    return this.running === null && this.next === null;
  }

  run(task: () => Promise<void>): Promise<void> {
    if (this.next) return this.next;
    if (!this.running) return this.begin(task);
    const next = this.running.then(noop, noop).then(() => {
      this.next = null;
      return this.begin(task);
    });
    this.next = next;
    return next;
  }

  private begin(task: () => Promise<void>): Promise<void> {
    const run: Promise<void> = Promise.resolve()
      .then(task)
      .finally(() => {
        if (this.running === run) this.running = null;
      });
    this.running = run;
    return run;
  }
}

/** One SingleFlight per key, dropped when idle. */
export class SingleFlights {
  private readonly flights = new Map<string, SingleFlight>();

  run(key: string, task: () => Promise<void>): Promise<void> {
    let flight = this.flights.get(key);
    if (!flight) {
      flight = new SingleFlight();
      this.flights.set(key, flight);
    }
    const done = flight.run(task);
    const f = flight;
    void done.then(noop, noop).then(() => {
      if (f.idle && this.flights.get(key) === f) this.flights.delete(key);
    });
    return done;
  }

  get size(): number {
    return this.flights.size;
  }
}
