import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv } from '../test/support/clean-env.js';
import {
  CLAMD_SOCKET,
  hasClamd,
  hasPostgres,
  hasRedis,
  POSTGRES_URL,
  REDIS_URL,
} from '../test/support/services.js';
import type { Check, ScenarioResult } from './harness/result.js';

/**
 * The benchmark harness in its quick mode, as CI runs it: it must work end to end and lose
 * nothing. These tests never look at a timing; they look at the message counts and at the checks.
 * `npm test` builds first, so dist/bench/run.js is the harness just built.
 */
interface Results {
  ok: boolean;
  results: ScenarioResult[];
  errors: Array<{ scenario: string; error: string }>;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function bench(args: string[]): Promise<{ code: number | null; output: string; results: Results }> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-smoke-'));
  dirs.push(dir);
  // The services the tests found, named explicitly; nothing else of the caller's environment.
  const services = ['--postgres', POSTGRES_URL, '--redis', REDIS_URL, '--clamd-socket', CLAMD_SOCKET];
  const child = spawn(
    process.execPath,
    ['dist/bench/run.js', '--quick', '--results-dir', dir, ...services, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv() },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c;
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const file = readdirSync(dir).find((f) => f.endsWith('.json'));
  if (!file) throw new Error(`the bench wrote no results file:\n${output}`);
  return { code, output, results: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Results };
}

const checksOf = (r: Results): Check[] => r.results.flatMap((s) => s.checks);

describe('benchmark harness (quick mode)', () => {
  // The whole quick benchmark: Parley nodes, both relays and their load generators start and run each
  // scenario. Beside another test run on two cores that takes close to four minutes.
  it('runs every scenario against Parley and both baselines and loses nothing', async () => {
    const { code, output, results } = await bench(hasPostgres && hasRedis ? ['--two-nodes'] : []);
    expect(results.errors, output).toEqual([]);
    expect(code, output).toBe(0);
    const names = results.results.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'throughput',
        'latency',
        'idle',
        'durability',
        'widget-weight',
        'search',
        'uploads',
      ]),
    );
    // With clamd the uploads scenario also runs its scanning variant (which checks EICAR is refused).
    const uploadSystems = results.results.find((s) => s.name === 'uploads')?.checks.map((c) => c.system);
    expect(uploadSystems).toEqual((await hasClamd()) ? ['Parley', 'Parley + clamd'] : ['Parley']);
    const checks = checksOf(results);
    if (hasPostgres && hasRedis) {
      expect(names).toEqual(expect.arrayContaining(['two-nodes', 'workers', 'latency-postgres']));
      // The two nodes' climb ran its rates on the same sockets, each checked alone, and says how far
      // it got.
      const twoNodes = results.results.find((s) => s.name === 'two-nodes');
      expect(twoNodes?.rows.map((r) => r.figure)).toContainEqual(expect.stringMatching(/^highest rate held/));
      const steps = checks.filter(
        (c) => c.scenario === 'two nodes' && /^Parley at \d+ msgs\/s$/.test(c.system),
      );
      expect(steps.length, output).toBeGreaterThanOrEqual(1);
    }
    for (const c of checks) expect(c.problems, `${c.scenario} / ${c.system}`).toEqual([]);
    const flows = checks.filter((c) => c.totals && c.scenario !== 'durability');
    // Parley and both relays in throughput and latency, plus two nodes when it ran.
    expect(flows.length).toBeGreaterThanOrEqual(6);
    for (const c of flows) {
      const t = c.totals;
      expect(t?.sent, `${c.scenario} / ${c.system}`).toBeGreaterThan(0);
      expect(t?.acked).toBe(t?.sent);
      expect(t?.delivered).toBe(t?.acked);
    }
    const durable = checks.find((c) => c.scenario === 'durability');
    expect(durable?.totals?.acked).toBeGreaterThan(0);
  }, 480_000);

  // `--gc`: the node prints a line per collection on the stdout the harness also reads its setup link
  // from; the run still starts, and the note says what the collector did while it measured.
  it("reports a Parley node's garbage collections with --gc", async () => {
    const { code, output, results } = await bench(['--only', 'throughput', '--systems', 'parley', '--gc']);
    expect(code, output).toBe(0);
    const rows = results.results.flatMap((s) => s.rows).filter((r) => r.system === 'Parley');
    expect(rows.length, output).toBeGreaterThan(0);
    for (const row of rows) expect(row.note).toMatch(/GC: promoted \d+\.\d\d MiB\/s, \d+\.\d scavenges\/s/);
  }, 120_000);

  it('fails loudly when a relay acks a message it never delivers, or delivers one twice', async () => {
    const { code, results } = await bench([
      '--only',
      'throughput',
      '--systems',
      'raw',
      '--inject-drop',
      '25',
      '--inject-duplicate',
      '40',
    ]);
    expect(code).toBe(1);
    expect(results.ok).toBe(false);
    const [check] = checksOf(results);
    expect(check?.totals?.missing).toBe(1);
    expect(check?.totals?.duplicated).toBe(1);
    expect(check?.problems).toEqual(
      expect.arrayContaining([
        '1 acked message(s) never reached the other party',
        '1 message(s) arrived more than once',
      ]),
    );
  }, 120_000);
});
