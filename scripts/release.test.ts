import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv } from '../test/support/clean-env.js';

const ROOT = new URL('..', import.meta.url).pathname;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'parley-release-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const node = (script: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(ROOT, 'scripts', script), ...args], {
    cwd: ROOT,
    env: cleanEnv(env),
    encoding: 'utf8',
    timeout: 240_000,
  });

/** A saved `npm audit --json` report with one advisory of the given severity. */
function report(severity: string): string {
  const advisory = {
    source: 1099999,
    name: 'left-pad',
    dependency: 'left-pad',
    title: 'Prototype pollution in left-pad',
    url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc',
    severity,
    range: '<1.3.1',
  };
  return JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities: { 'left-pad': { name: 'left-pad', severity, isDirect: true, via: [advisory] } },
    metadata: { vulnerabilities: { [severity]: 1, total: 1 } },
  });
}

describe('dependency audit (scripts/audit.mjs)', () => {
  it('fails on a critical advisory, unless it is accepted with a reason', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'critical.json'), report('critical'));
    const failed = node('audit.mjs', [
      '--from-file',
      join(dir, 'critical.json'),
      '--accepted',
      join(dir, 'none.txt'),
    ]);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain('critical left-pad: Prototype pollution in left-pad');
    writeFileSync(
      join(dir, 'accepted.txt'),
      '# reviewed\nGHSA-aaaa-bbbb-cccc  Parley never pads on the left\n',
    );
    const passed = node('audit.mjs', [
      '--from-file',
      join(dir, 'critical.json'),
      '--accepted',
      join(dir, 'accepted.txt'),
    ]);
    expect(passed.status).toBe(0);
    expect(passed.stdout).toContain('(accepted in .ci/audit-accepted.txt)');
  });

  it('reports a high advisory without failing', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'high.json'), report('high'));
    const res = node('audit.mjs', [
      '--from-file',
      join(dir, 'high.json'),
      '--accepted',
      join(dir, 'none.txt'),
    ]);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('high     left-pad');
  });

  it('reports the audit as skipped, and passes, when the registry cannot be reached', () => {
    // A registry nobody listens on: port 9 (discard) on loopback refuses the connection at once.
    const res = node('audit.mjs', [], {
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_fetch_retries: '0',
      npm_config_cache: tmp(),
    });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(
      /^Dependency audit skipped: the registry's audit service could not be reached/,
    );
  });
});

describe('release (scripts/release.mjs)', () => {
  it.runIf(existsSync(join(ROOT, 'dist/server/main.js')))(
    'packs the build, writes a CycloneDX SBOM of what it ships and checksums that verify',
    () => {
      const out = tmp();
      const res = node('release.mjs', ['--skip-build', '--out', out]);
      expect(res.status, res.stderr).toBe(0);
      const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
      const tarball = `parley-${version}.tgz`;
      const sbomName = `parley-${version}.cdx.json`;
      const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8').trim().split('\n');
      expect(sums.map((l) => l.split('  ')[1])).toEqual([tarball, sbomName]);
      for (const line of sums) {
        const [sum, file] = line.split('  ') as [string, string];
        expect(
          createHash('sha256')
            .update(readFileSync(join(out, file)))
            .digest('hex'),
        ).toBe(sum);
      }
      const files = spawnSync('tar', ['tzf', join(out, tarball)], { encoding: 'utf8' }).stdout.split('\n');
      expect(files).toContain('package/dist/server/main.js');
      expect(files).toContain('package/dist/dashboard/index.html');
      expect(files.some((f) => f.startsWith('package/dist/server/db/migrations/'))).toBe(true);
      expect(files.filter((f) => /\.test\.|^package\/(test|e2e|bench|data)\//.test(f))).toEqual([]);

      const sbom = JSON.parse(readFileSync(join(out, sbomName), 'utf8'));
      expect(sbom.bomFormat).toBe('CycloneDX');
      expect(sbom.metadata.component).toMatchObject({ name: 'parley', version });
      const names = new Set((sbom.components as { name: string }[]).map((c) => c.name));
      // Shipped: the server's dependencies (fastify included, though a dev tool shares it) and the
      // browser packages compiled into the widget and dashboard. Not shipped: build and test tools.
      for (const name of ['fastify', 'prom-client', 'better-sqlite3', 'pino', 'preact', 'react'])
        expect(names.has(name), name).toBe(true);
      for (const name of ['vitest', 'vite', 'typescript', '@biomejs/biome', 'playwright-core'])
        expect(names.has(name), name).toBe(false);
    },
  );
});
