import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { now } from '../generator/ledger.js';
import type { FromWorker, LoadPlan, ToWorker, WorkerPlan, WorkerReport } from '../generator/plan.js';
import { DIST } from './processes.js';

type Reply<E extends FromWorker['ev']> = Extract<FromWorker, { ev: E }>;

/**
 * The load generator: separate processes (bench/generator/worker.ts), so that the generator's
 * CPU is its own and measurable, and never the system under test's.
 */
export class GeneratorPool {
  private constructor(private readonly workers: ChildProcess[]) {}

  static start(count: number): GeneratorPool {
    const script = join(DIST, 'bench', 'generator', 'worker.js');
    return new GeneratorPool(
      Array.from({ length: count }, () =>
        fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] }),
      ),
    );
  }

  get size(): number {
    return this.workers.length;
  }

  get pids(): number[] {
    return this.workers.map((w) => w.pid ?? -1);
  }

  /** Creates the visitors' identities (Parley: visitor sessions), connecting nothing yet. */
  async prepare(plans: WorkerPlan[], timeoutMs: number): Promise<void> {
    await Promise.all(
      this.workers.map((w, i) =>
        this.ask(w, { cmd: 'prepare', plan: plans[i] as WorkerPlan }, 'identities', timeoutMs),
      ),
    );
  }

  /** Opens every visitor's and operator's socket and subscribes them. */
  async connect(timeoutMs: number): Promise<Reply<'prepared'>[]> {
    return Promise.all(this.workers.map((w) => this.ask(w, { cmd: 'connect' }, 'prepared', timeoutMs)));
  }

  /** Starts every worker at the same instant, shortly from now, and collects their reports. */
  async run(load: Omit<LoadPlan, 'startAt'>, leadMs = 300): Promise<WorkerReport[]> {
    const full: LoadPlan = { ...load, startAt: now() + leadMs };
    const timeout = leadMs + load.durationMs + load.drainMs + 30_000;
    const replies = await Promise.all(
      this.workers.map((w) => this.ask(w, { cmd: 'run', load: full }, 'report', timeout)),
    );
    return replies.map((r) => r.report);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async (w) => {
        if (w.exitCode !== null || !w.connected) return;
        await this.ask(w, { cmd: 'close' }, 'closed', 10_000).catch(() => w.kill('SIGKILL'));
      }),
    );
  }

  private ask<E extends FromWorker['ev']>(
    worker: ChildProcess,
    message: ToWorker,
    ev: E,
    timeoutMs: number,
  ): Promise<Reply<E>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`generator did not answer "${message.cmd}" in time`)),
        timeoutMs,
      );
      const onMessage = (m: FromWorker) => {
        if (m.ev === ev) finish(null, m as Reply<E>);
        else if (m.ev === 'error') finish(new Error(`generator ${m.workerId} failed: ${m.message}`));
      };
      const onExit = (code: number | null) =>
        finish(new Error(`generator exited (${code}) during "${message.cmd}"`));
      const finish = (err: Error | null, value?: Reply<E>) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        if (err) reject(err);
        else resolve(value as Reply<E>);
      };
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.send(message);
    });
  }
}
