import type { System } from '../generator/plan.js';
import { type Options, PER_SOCKET_BURST, PER_SOCKET_RATE, type Profile } from '../harness/options.js';
import { type Check, type Row, ratio, type ScenarioResult } from '../harness/result.js';
import { SYSTEM_NAMES } from '../harness/systems.js';
import { type LoadOutcome, loadOneSystem } from './run-load.js';

const pct = (share: number) => `${Math.round(share * 100)}%`;

/**
 * Where the limit sat: one core is 100%, and the machine's cores are shared by server and
 * generator. Server CPU time per message does not depend on how busy the machine was.
 */
export function limitNote(
  o: Pick<
    LoadOutcome,
    'serverCpu' | 'serverEventLoopCpu' | 'generatorCpu' | 'cpuPressure' | 'generatorEventLoopP99Ms'
  > & { gc?: string | null },
  perSec?: number,
): string {
  const perMessage = perSec ? `, ${Math.round((o.serverCpu * 1e6) / perSec)} µs server CPU/msg` : '';
  const pressure = Number.isFinite(o.cpuPressure) ? `; CPU pressure ${pct(o.cpuPressure)}` : '';
  const lag = `, generator event-loop p99 ${o.generatorEventLoopP99Ms.toFixed(0)} ms`;
  const loop = Number.isFinite(o.serverEventLoopCpu) ? ` (event loop ${pct(o.serverEventLoopCpu)})` : '';
  const gc = o.gc ? `; ${o.gc}` : '';
  return `server CPU ${pct(o.serverCpu)}${loop}, generator CPU ${pct(o.generatorCpu)}${perMessage}${pressure}${lag}${gc}`;
}

/**
 * Many conversations, visitors and operators all sending, each socket with at most two messages in
 * flight (operators four) and under the per-socket frame budget. The figure is messages per second
 * that were acked (for Parley: committed) and delivered to the other party.
 */
export async function throughput(options: Options, p: Profile['throughput']): Promise<ScenarioResult> {
  const checks: Check[] = [];
  const outcomes = new Map<System, LoadOutcome>();
  for (const system of options.systems) {
    const { outcome, problems } = await loadOneSystem(
      system,
      {
        operators: p.operators,
        ...(options.profileDir ? { profileDir: options.profileDir } : {}),
        ...(system === 'raw' ? { relayArgs: options.relayArgs } : {}),
      },
      {
        visitors: p.visitors,
        operators: p.operators,
        workers: p.workers,
        visitorLoad: { mode: 'window', window: 2, perSocketRate: PER_SOCKET_RATE, burst: PER_SOCKET_BURST },
        operatorLoad: { mode: 'window', window: 4, perSocketRate: PER_SOCKET_RATE, burst: PER_SOCKET_BURST },
        durationMs: p.durationMs,
        warmupMs: p.warmupMs,
        drainMs: p.drainMs,
        recordLatency: false,
      },
    );
    outcomes.set(system, outcome);
    checks.push({
      scenario: 'throughput',
      system: SYSTEM_NAMES[system],
      totals: outcome.totals,
      problems,
    });
  }
  const raw = outcomes.get('raw')?.deliveredPerSec;
  const sio = outcomes.get('socketio')?.deliveredPerSec;
  const rows: Row[] = [...outcomes].map(([system, o]) => {
    const vsRaw = ratio(o.deliveredPerSec, raw);
    const vsSocketIo = ratio(o.deliveredPerSec, sio);
    const isParley = system === 'parley';
    return {
      scenario: 'throughput',
      system: SYSTEM_NAMES[system],
      figure: 'persisted + delivered msgs/s',
      value: o.deliveredPerSec,
      unit: 'msgs/s',
      ...(isParley && vsRaw !== undefined ? { vsRaw } : {}),
      ...(isParley && vsSocketIo !== undefined ? { vsSocketIo } : {}),
      ...(isParley
        ? {
            target: '≥ 0.5× raw, ≥ 1.0× Socket.IO',
            ...(vsRaw !== undefined && vsSocketIo !== undefined
              ? { met: vsRaw >= 0.5 && vsSocketIo >= 1 }
              : {}),
          }
        : {}),
      note: limitNote(o, o.deliveredPerSec),
    };
  });
  return {
    name: 'throughput',
    rows,
    checks,
    details: {
      parameters: { ...p, visitorWindow: 2, operatorWindow: 4, perSocketRate: PER_SOCKET_RATE },
      systems: Object.fromEntries(
        [...outcomes].map(([s, o]) => [
          s,
          {
            deliveredPerSec: o.deliveredPerSec,
            ackedPerSec: o.ackedPerSec,
            serverCpu: o.serverCpu,
            serverEventLoopCpu: o.serverEventLoopCpu,
            generatorCpu: o.generatorCpu,
            cpuPressure: o.cpuPressure,
            generatorEventLoopP99Ms: o.generatorEventLoopP99Ms,
            prepareMs: o.prepareMs,
            totals: o.totals,
          },
        ]),
      ),
    },
  };
}
