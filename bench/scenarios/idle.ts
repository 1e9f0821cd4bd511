import { sleep } from '../generator/pacer.js';
import type { System } from '../generator/plan.js';
import { GeneratorPool } from '../harness/generators.js';
import type { Options, Profile } from '../harness/options.js';
import { rssBytes } from '../harness/processes.js';
import { type Check, type Row, ratio, type ScenarioResult } from '../harness/result.js';
import { SYSTEM_NAMES, startSystem } from '../harness/systems.js';
import { buildPlans } from './run-load.js';

interface IdleFigures {
  connections: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  perConnectionBytes: number;
  connectMs: number;
}

/**
 * Visitors connected, authenticated and subscribed to their conversation, doing nothing. The
 * figure is the server's resident memory growth (VmRSS in /proc/<pid>/status) divided by the
 * number of sockets. Parley's visitors are created first (sessions over HTTP), then the node is
 * restarted so the "before" reading is a fresh process; the "after" reading includes whatever
 * the handshakes (ticket requests, upgrades) left for the garbage collector, so it errs high.
 */
export async function idle(options: Options, p: Profile['idle']): Promise<ScenarioResult> {
  const checks: Check[] = [];
  const figures = new Map<System, IdleFigures>();
  for (const system of options.systems) {
    const sut = await startSystem(system, { operators: 0 });
    const pool = GeneratorPool.start(Math.min(p.workers, p.connections));
    const problems: string[] = [];
    try {
      const plans = buildPlans(sut.target, { visitors: p.connections, operators: 0, workers: pool.size });
      await pool.prepare(plans, 10 * 60_000);
      // Creating 10,000 visitors grows Parley's heap; a fresh process on the same data starts clean.
      await sut.restart?.();
      await sleep(p.settleMs);
      const pid = sut.pids[0] ?? -1;
      const before = rssBytes(pid);
      const t0 = performance.now();
      const connected = await pool.connect(10 * 60_000);
      const connectMs = performance.now() - t0;
      await sleep(p.settleMs);
      const after = rssBytes(pid);
      const count = connected.reduce((n, c) => n + c.visitors, 0);
      if (count !== p.connections) problems.push(`only ${count} of ${p.connections} sockets connected`);
      figures.set(system, {
        connections: count,
        rssBeforeBytes: before,
        rssAfterBytes: after,
        perConnectionBytes: (after - before) / Math.max(1, count),
        connectMs,
      });
    } catch (err) {
      problems.push((err as Error).message);
    } finally {
      await pool.close();
      await sut.stop();
      await sut.remove();
    }
    checks.push({ scenario: 'idle', system: SYSTEM_NAMES[system], problems });
  }
  const raw = figures.get('raw')?.perConnectionBytes;
  const sio = figures.get('socketio')?.perConnectionBytes;
  const rows: Row[] = [...figures].map(([system, f]) => {
    const kib = f.perConnectionBytes / 1024;
    const isParley = system === 'parley';
    const vsRaw = ratio(f.perConnectionBytes, raw);
    const vsSocketIo = ratio(f.perConnectionBytes, sio);
    return {
      scenario: 'idle',
      system: SYSTEM_NAMES[system],
      figure: `RSS per connection, ${f.connections} sockets`,
      value: kib,
      unit: 'KiB',
      ...(isParley && vsRaw !== undefined ? { vsRaw } : {}),
      ...(isParley && vsSocketIo !== undefined ? { vsSocketIo } : {}),
      ...(isParley ? { target: '≤ 10 KiB', met: kib <= 10 } : {}),
      note: `RSS ${(f.rssBeforeBytes / 2 ** 20).toFixed(0)} → ${(f.rssAfterBytes / 2 ** 20).toFixed(0)} MiB`,
    };
  });
  return { name: 'idle', rows, checks, details: { parameters: p, systems: Object.fromEntries(figures) } };
}
