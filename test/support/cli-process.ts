import { type ChildProcess, spawn } from 'node:child_process';

const MAIN = new URL('../../dist/server/main.js', import.meta.url).pathname;

/** A process of the built CLI (`parley <args>`), as an operator or a supervisor runs it. */
export interface CliProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Runs the built CLI with only the settings given: nothing of the caller's environment reaches it
 * but PATH, so a DATABASE_URL or REDIS_URL set in the shell cannot change what the test runs against.
 */
export function runCli(args: string[], env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Polls `probe` until it gives a value; a timeout names what was awaited and shows the output. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  node: CliProcess,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${node.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
