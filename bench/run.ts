import { type Options, parseOptions, profile, type ScenarioName } from './harness/options.js';
import { checkLines, table, writeResults } from './harness/report.js';
import type { ScenarioResult, Skipped } from './harness/result.js';
import { durability } from './scenarios/durability.js';
import { idle } from './scenarios/idle.js';
import { latency } from './scenarios/latency.js';
import { latencyPostgres } from './scenarios/latency-postgres.js';
import { search } from './scenarios/search.js';
import { throughput } from './scenarios/throughput.js';
import { reachable, twoNodes } from './scenarios/two-nodes.js';
import { uploads } from './scenarios/uploads.js';
import { widgetStart } from './scenarios/widget-start.js';
import { widgetWeight } from './scenarios/widget-weight.js';
import { workers } from './scenarios/workers.js';

/**
 * `npm run bench`: Parley and its baselines, each in its own process, driven by separate generator
 * processes; one table on stdout, everything in bench/results/<date>.json. Exits 1 when any check
 * failed (a message lost, duplicated or refused) or a scenario could not run; a missed target is a
 * finding, not a failure.
 */
const log = (text: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);

async function runScenario(
  name: ScenarioName,
  options: Options,
  skipped: Skipped[],
): Promise<ScenarioResult | null> {
  const p = profile(options.quick);
  switch (name) {
    case 'throughput':
      return throughput(options, p.throughput);
    case 'latency':
      return latency(options, p.latency);
    case 'idle':
      return idle(options, p.idle);
    case 'durability':
      return options.systems.includes('parley') ? durability(options, p.durability) : null;
    case 'two-nodes':
    case 'workers':
    case 'latency-postgres': {
      if (options.twoNodes === 'no' || !options.systems.includes('parley')) {
        skipped.push({ name, reason: 'not requested (quick mode or --no-two-nodes); use --two-nodes' });
        return null;
      }
      const up = (await reachable(options.postgresUrl, 5432)) && (await reachable(options.redisUrl, 6379));
      if (!up) {
        if (options.twoNodes === 'yes') throw new Error('PostgreSQL or Redis is not reachable');
        skipped.push({ name, reason: 'PostgreSQL or Redis is not reachable' });
        return null;
      }
      if (name === 'two-nodes') return twoNodes(options, p.twoNodes);
      return name === 'workers' ? workers(options, p.workers) : latencyPostgres(options, p.latency);
    }
    case 'widget-weight': {
      if (!options.systems.includes('parley')) return null;
      const w = await widgetWeight(options);
      skipped.push(...w.skipped);
      return w.result;
    }
    case 'search':
      return options.systems.includes('parley') ? search(p.search) : null;
    case 'uploads': {
      if (!options.systems.includes('parley')) return null;
      const u = await uploads(options, p.uploads);
      skipped.push(...u.skipped);
      return u.result;
    }
    case 'widget-start': {
      if (!options.systems.includes('parley')) return null;
      const w = await widgetStart(options, p.widgetStart);
      skipped.push(...w.skipped);
      return w.result;
    }
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  // Read by every Parley node the harness starts (harness/parley-node.ts).
  if (options.statementsDir) process.env.BENCH_STATEMENTS_DIR = options.statementsDir;
  if (options.nodeFlags.length > 0) process.env.BENCH_NODE_FLAGS = options.nodeFlags.join(' ');
  if (options.gc) process.env.BENCH_GC_TRACE = '1';
  const started = performance.now();
  const results: ScenarioResult[] = [];
  const skipped: Skipped[] = [];
  const errors: Array<{ scenario: string; error: string }> = [];
  for (const name of options.scenarios) {
    log(`${name}…`);
    const t0 = performance.now();
    try {
      const r = await runScenario(name, options, skipped);
      if (r) results.push(r);
      log(`${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      errors.push({ scenario: name, error: (err as Error).stack ?? String(err) });
      log(`${name} FAILED: ${(err as Error).message}`);
    }
  }
  const rows = results.flatMap((r) => r.rows);
  const checks = results.flatMap((r) => r.checks);
  const ok = errors.length === 0 && checks.every((c) => c.problems.length === 0);
  const md = table(rows);
  console.log(`\n${md}\n`);
  console.log('Message checks (every acked message delivered exactly once, nothing refused or lost):');
  console.log(checkLines(checks).join('\n'));
  for (const s of skipped) console.log(`  skipped ${s.name}: ${s.reason}`);
  for (const e of errors) console.log(`  ERROR  ${e.scenario}: ${e.error.split('\n')[0]}`);
  const file = writeResults(options.resultsDir, {
    command: `npm run bench${options.argv.length ? ` -- ${options.argv.join(' ')}` : ''}`,
    quick: options.quick,
    results,
    skipped,
    errors,
    ok,
    table: md,
  });
  console.log(
    `\n${ok ? 'All checks passed' : 'CHECKS FAILED'}; ${((performance.now() - started) / 1000).toFixed(0)} s; results in ${file}`,
  );
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench: ${(err as Error).stack ?? err}`);
    process.exit(2);
  },
);
