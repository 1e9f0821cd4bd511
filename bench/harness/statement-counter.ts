/**
 * Loaded into a Parley node with `--import` when the bench runs with `--statements`: counts and times
 * every SQLite statement the node runs (better-sqlite3's run/get/all/iterate, native time only) and,
 * when the node exits, writes one line per distinct statement to BENCH_STATEMENTS_FILE:
 *   count <TAB> total µs <TAB> µs each <TAB> longest µs <TAB> runs of 5 ms or more <TAB> SQL
 * sorted by total time. The last two find statements that hold the event loop now and then (a
 * latency p99), which an average hides. Divide the counts by the messages the scenario stored to get
 * statements per message; unlike CPU time, the counts do not depend on how busy the machine is. A
 * node killed with SIGKILL (the durability scenario) writes nothing.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const file = process.env.BENCH_STATEMENTS_FILE;
const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as {
  prototype: { prepare(sql: string): Record<string, unknown> };
};
const seen = new Map<string, { count: number; micros: number; longest: number; slow: number }>();
const SLOW_MICROS = 5000;
const original = Database.prototype.prepare;

Database.prototype.prepare = function prepare(this: unknown, source: string) {
  const statement = original.call(this, source);
  const key = source.replace(/\s+/g, ' ').trim();
  for (const method of ['run', 'get', 'all', 'iterate']) {
    const run = statement[method] as ((...args: unknown[]) => unknown) | undefined;
    if (typeof run !== 'function') continue;
    statement[method] = function timed(this: unknown, ...args: unknown[]) {
      const started = process.hrtime.bigint();
      try {
        return run.apply(this, args);
      } finally {
        const entry = seen.get(key) ?? { count: 0, micros: 0, longest: 0, slow: 0 };
        const micros = Number(process.hrtime.bigint() - started) / 1000;
        entry.count += 1;
        entry.micros += micros;
        entry.longest = Math.max(entry.longest, micros);
        if (micros >= SLOW_MICROS) entry.slow += 1;
        seen.set(key, entry);
      }
    };
  }
  return statement;
};

process.on('exit', () => {
  if (!file) return;
  const lines = [...seen]
    .sort((a, b) => b[1].micros - a[1].micros)
    .map(
      ([sql, e]) =>
        `${e.count}\t${Math.round(e.micros)}\t${(e.micros / e.count).toFixed(1)}\t${Math.round(e.longest)}\t${e.slow}\t${sql}`,
    );
  writeFileSync(file, `${lines.join('\n')}\n`);
});
