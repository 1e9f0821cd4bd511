import { sleep } from '../generator/pacer.js';
import { problems } from '../harness/checks.js';
import { type Options, PER_SOCKET_BURST, PER_SOCKET_RATE, type Profile } from '../harness/options.js';
import type { Row, ScenarioResult } from '../harness/result.js';
import { notStored, storedClientIdsSqlite } from '../harness/stored.js';
import { startSystem } from '../harness/systems.js';
import { runLoad } from './run-load.js';
import { limitNote } from './throughput.js';

/** The node is killed this long before the generator stops sending: messages are in flight. */
const KILL_BEFORE_END_MS = 500;

/**
 * Sustained inserts on embedded SQLite (WAL; every ack after the fdatasync that covers its commit,
 * as with synchronous=FULL, the sync in the thread pool): visitors send as fast as their
 * per-socket budget allows, and the figure is acks per second — every ack a committed row. Near the
 * end the node is killed with SIGKILL while messages are in flight; the database file is then read
 * back, and every message that had been acked must be in it.
 */
export async function durability(options: Options, p: Profile['durability']): Promise<ScenarioResult> {
  const sut = await startSystem('parley', {
    operators: 0,
    ...(options.profileDir ? { profileDir: options.profileDir } : {}),
  });
  let killedAfterMs = 0;
  const outcome = await runLoad(sut, {
    visitors: p.visitors,
    operators: 0,
    workers: p.workers,
    visitorLoad: { mode: 'window', window: 2, perSocketRate: PER_SOCKET_RATE, burst: PER_SOCKET_BURST },
    operatorLoad: { mode: 'none' },
    durationMs: p.durationMs,
    warmupMs: p.warmupMs,
    drainMs: 2000,
    measureUntilMs: p.durationMs - KILL_BEFORE_END_MS,
    recordLatency: false,
    collectAckedIds: true,
    during: async () => {
      const t0 = performance.now();
      await sleep(p.durationMs - KILL_BEFORE_END_MS);
      killedAfterMs = performance.now() - t0;
      await sut.nodes[0]?.stop('SIGKILL');
    },
  }).finally(() => sut.stop());
  const acked = outcome.reports.flatMap((r) => r.ackedIds ?? []);
  const found = problems(outcome.totals, { echo: true, crash: true, deliveries: false });
  const lost = sut.sqliteFile ? notStored(acked, storedClientIdsSqlite(sut.sqliteFile)) : [];
  await sut.remove();
  if (lost.length > 0) found.push(`${lost.length} acked message(s) are not in the database after the kill`);
  const row: Row = {
    scenario: 'durability',
    system: 'Parley',
    figure: 'sustained acked inserts/s, SQLite, each ack after its fsync',
    value: outcome.ackedPerSec,
    unit: 'msgs/s',
    target: '≥ 20,000 msgs/s',
    met: outcome.ackedPerSec >= 20_000,
    note: limitNote(outcome, outcome.ackedPerSec),
  };
  return {
    name: 'durability',
    rows: [row],
    checks: [
      {
        scenario: 'durability',
        system: 'Parley',
        totals: outcome.totals,
        deliveries: false,
        problems: found,
      },
    ],
    details: {
      parameters: p,
      ackedPerSec: outcome.ackedPerSec,
      killedAfterMs,
      ackedBeforeKill: acked.length,
      notStoredAfterKill: lost.length,
      serverCpu: outcome.serverCpu,
      serverEventLoopCpu: outcome.serverEventLoopCpu,
      cpuPressure: outcome.cpuPressure,
      generatorCpu: outcome.generatorCpu,
      totals: outcome.totals,
    },
  };
}
