#!/usr/bin/env node
// The dependency audit CI runs (.ci/run): `npm audit --omit=dev`, i.e. the dependencies Parley ships.
//
// - The registry or its audit endpoint cannot be reached (offline, a mirror without the endpoint):
//   the audit is reported as skipped and the build goes on. An outage of someone else's service must
//   not stop a release, and it says nothing about Parley's dependencies.
// - Reachable: every advisory is listed. A *critical* advisory in a shipped dependency fails the build
//   unless .ci/audit-accepted.txt names it (its GHSA id and, after it, why it does not apply to
//   Parley). High and lower are reported and do not fail it: they are weighed by people, per release.
//
// `--from-file REPORT.json` judges a saved `npm audit --json` report instead of asking the registry.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { 'from-file': { type: 'string' }, accepted: { type: 'string' } },
});

function runAudit() {
  const result = spawnSync('npm', ['audit', '--omit=dev', '--json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return result.stdout ?? '';
}

const raw = values['from-file'] ? readFileSync(values['from-file'], 'utf8') : runAudit();
let report = null;
try {
  report = JSON.parse(raw);
} catch {
  report = null;
}
if (!report || typeof report.vulnerabilities !== 'object' || report.vulnerabilities === null) {
  const why = report?.message ?? report?.error?.summary ?? 'no answer';
  console.log(`Dependency audit skipped: the registry's audit service could not be reached (${why}).`);
  process.exit(0);
}

const acceptedFile = values.accepted ?? join(root, '.ci', 'audit-accepted.txt');
const accepted = new Set(
  existsSync(acceptedFile)
    ? readFileSync(acceptedFile, 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => line.split(/\s+/)[0])
    : [],
);

const ORDER = ['critical', 'high', 'moderate', 'low', 'info'];
const advisories = new Map();
for (const vulnerability of Object.values(report.vulnerabilities)) {
  for (const via of vulnerability.via ?? []) {
    if (typeof via !== 'object') continue;
    const id = /GHSA-[\w-]+/.exec(via.url ?? '')?.[0] ?? String(via.source);
    advisories.set(`${id} ${via.name}`, {
      id,
      name: via.name,
      severity: via.severity,
      title: via.title,
      url: via.url,
    });
  }
}
const list = [...advisories.values()].sort((a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity));
if (list.length === 0) {
  console.log('Dependency audit: no known advisories in the shipped dependencies.');
  process.exit(0);
}
console.log(
  `Dependency audit: ${list.length} advisor${list.length === 1 ? 'y' : 'ies'} in the shipped dependencies:`,
);
for (const a of list) {
  const note = accepted.has(a.id) ? ' (accepted in .ci/audit-accepted.txt)' : '';
  console.log(`  ${a.severity.padEnd(8)} ${a.name}: ${a.title} ${a.url ?? ''}${note}`);
}
const failing = list.filter((a) => a.severity === 'critical' && !accepted.has(a.id));
if (failing.length > 0) {
  console.log(
    `\n${failing.length} critical advisor${failing.length === 1 ? 'y' : 'ies'} not accepted: update the dependency, or name the advisory in .ci/audit-accepted.txt with the reason it does not apply.`,
  );
  process.exit(1);
}
process.exit(0);
