import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Check, Row, ScenarioResult, Skipped } from './result.js';

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function showValue(r: Row): string {
  if (r.display) return r.unit === 'ms' ? `${r.display} ms` : r.display;
  if (!Number.isFinite(r.value)) return 'n/a';
  if (r.unit === 'msgs/s') return `${number.format(r.value)} msgs/s`;
  if (r.unit === 'ms') return `${r.value.toFixed(r.value < 100 ? 2 : 0)} ms`;
  return `${r.value.toFixed(1)} ${r.unit}`;
}

const showRatio = (x: number | undefined) => (x === undefined ? '' : `${x.toFixed(2)}×`);
const showMet = (r: Row) => (r.met === undefined ? '' : r.met ? 'met' : '**missed**');

/** One Markdown table of every figure; it pastes into docs/PERFORMANCE.md as it is. */
export function table(rows: Row[]): string {
  const head = ['scenario', 'system', 'figure', 'value', '÷ raw relay', '÷ Socket.IO', 'target', '', 'notes'];
  const lines = rows.map((r) => [
    r.scenario,
    r.system,
    r.figure,
    showValue(r),
    showRatio(r.vsRaw),
    showRatio(r.vsSocketIo),
    r.target ?? '',
    showMet(r),
    r.note ?? '',
  ]);
  const cells = [head, head.map(() => '---'), ...lines];
  return cells.map((c) => `| ${c.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`).join('\n');
}

export function checkLines(checks: Check[]): string[] {
  return checks.map((c) => {
    const t = c.totals;
    const delivered =
      c.deliveries === false
        ? `echoed to the author ${t?.echoed}`
        : `delivered ${t?.delivered}, missing ${t?.missing}`;
    const counts = t
      ? `sent ${t.sent}, acked ${t.acked}, ${delivered}, duplicated ${t.duplicated}, refused ${Object.values(t.refused).reduce((a, b) => a + b, 0)}`
      : 'no message counts';
    return c.problems.length === 0
      ? `  ok    ${c.scenario} / ${c.system}: ${counts}`
      : `  FAIL  ${c.scenario} / ${c.system}: ${counts}\n        ${c.problems.join('\n        ')}`;
  });
}

export function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  let npm = 'unknown';
  try {
    npm = execFileSync('npm', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    /* npm not on PATH: leave it unknown */
  }
  return {
    cpu: model,
    cores: os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    npm,
    os: `${os.type()} ${os.release()}`,
  };
}

export function writeResults(
  dir: string,
  content: {
    command: string;
    quick: boolean;
    results: ScenarioResult[];
    skipped: Skipped[];
    errors: Array<{ scenario: string; error: string }>;
    ok: boolean;
    table: string;
  },
): string {
  mkdirSync(dir, { recursive: true });
  const date = new Date()
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  const file = join(dir, `${date}${content.quick ? '-quick' : ''}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), ...content }, null, 2)}\n`,
  );
  return file;
}
