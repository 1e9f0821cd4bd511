import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GcTrace, withoutCollectionLines } from './gc-trace.js';

/** The repository root: compiled bench code runs from dist/bench/, the tests import it from bench/. */
export const ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();
export const DIST = join(ROOT, 'dist');

/** A child process the bench started: a Parley node or a baseline relay. */
export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  /** Everything it printed so far (stdout and stderr), for error messages. */
  output(): string;
  exited(): Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnNode(
  name: string,
  args: string[],
  /** `trace`: the node prints `--trace-gc-nvp` lines, read there and kept out of `output()`. */
  options: { env?: Record<string, string>; cwd?: string; trace?: GcTrace } = {},
): Child {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? {},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer | string) => {
    output = (output + String(chunk)).slice(-20_000);
  };
  const trace = options.trace;
  if (trace)
    child.stdout?.on('data', (chunk: Buffer) => {
      trace.push(chunk);
      keep(withoutCollectionLines(String(chunk)));
    });
  else child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    process: child,
    pid: child.pid ?? -1,
    output: () => output,
    exited: () => exit,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Resolves with the first match of `pattern` in the child's output; fails if it exits first. */
export function waitForOutput(child: Child, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = child.output().match(pattern);
      if (m) {
        done();
        resolve(m);
      }
    };
    const fail = (why: string) => {
      done();
      reject(new Error(`${child.name} ${why}. Its output:\n${child.output().slice(-3000)}`));
    };
    const onExit = () => fail('exited before it was ready');
    const timer = setTimeout(() => fail(`was not ready after ${timeoutMs} ms`), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      child.process.stdout?.off('data', check);
      child.process.stderr?.off('data', check);
      child.process.off('exit', onExit);
    };
    child.process.stdout?.on('data', check);
    child.process.stderr?.on('data', check);
    child.process.once('exit', onExit);
    check();
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resident set size of a process, in bytes, from /proc/<pid>/status (VmRSS). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return kb * 1024;
}

/**
 * User + system CPU time of a process so far, in ms, from /proc/<pid>/stat (clock ticks of 10 ms); with
 * `thread`, of that one thread (/proc/<pid>/task/<tid>/stat): a process's own id is its main thread,
 * which runs Node's event loop.
 */
export function cpuMs(pid: number, thread?: number): number {
  try {
    const stat = readFileSync(
      thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`,
      'utf8',
    );
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 once pid and comm are cut off.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * Samples processes' CPU use over a span: `share()` is the fraction of one core they used together
 * (a cluster's workers add up to one server), `eventLoopShare()` the part of it their main threads
 * used. The rest is their other threads: worker threads, the thread pool's file syncs, V8's collector
 * helpers, which compete with the event loop for the same cores.
 */
export function cpuMeter(pids: number | number[]) {
  const all = Array.isArray(pids) ? pids : [pids];
  const total = () => all.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const mainThreads = () => all.reduce((sum, pid) => sum + cpuMs(pid, pid), 0);
  const t0 = performance.now();
  const c0 = total();
  const m0 = mainThreads();
  return {
    share(): number {
      return (total() - c0) / (performance.now() - t0);
    },
    eventLoopShare(): number {
      return (mainThreads() - m0) / (performance.now() - t0);
    },
  };
}

/**
 * Share of the time some runnable task on this machine waited for a CPU (Linux pressure stall
 * information). Near 0 on a quiet machine; on a shared, oversubscribed one it explains latency
 * tails that no process under test caused. NaN where the kernel does not report it.
 */
export function pressureMeter() {
  const read = (): number => {
    try {
      return Number(/some .*total=(\d+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1] ?? Number.NaN);
    } catch {
      return Number.NaN;
    }
  };
  const t0 = performance.now();
  const p0 = read();
  return { share: (): number => (read() - p0) / 1000 / (performance.now() - t0) };
}
