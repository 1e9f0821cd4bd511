#!/usr/bin/env node
// `npm run release`: builds Parley, packs it, and writes beside the tarball a CycloneDX SBOM of what it
// ships and SHA256SUMS of both. Everything lands in release/<version>/ (or --out DIR). `--skip-build`
// packs the dist/ already there.
//
// What it ships: the production dependencies as package-lock.json locks them, and the browser packages
// Vite compiles into dist/widget and dist/dashboard (devDependencies by npm's reckoning, but their code
// is in the tarball). `npm sbom --omit dev` cannot say that, and it also drops a production dependency
// that a dev tool shares (fastify, through the observatory), so the full SBOM is pruned here instead.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { out: { type: 'string' }, 'skip-build': { type: 'boolean', default: false } },
});
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = resolve(values.out ?? join(root, 'release', pkg.version));

function npm(args, capture = false) {
  const result = spawnSync('npm', args, {
    cwd: root,
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    console.error(`release: npm ${args.join(' ')} failed (exit ${result.status}).`);
    process.exit(1);
  }
  return result.stdout;
}

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
if (!values['skip-build']) npm(['run', 'build']);

// --json names the file npm wrote; --ignore-scripts: packing runs nothing of the package's own.
const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', out], true));
const tarball = join(out, packed[0].filename);
const sbomFile = join(out, `${basename(tarball, '.tgz')}.cdx.json`);
const sbom = `${JSON.stringify(shippedSbom(JSON.parse(npm(['sbom', '--sbom-format', 'cyclonedx', '--package-lock-only'], true))), null, 2)}\n`;
writeFileSync(sbomFile, sbom);

const sums = [tarball, sbomFile].map((f) => `${sha256(f)}  ${basename(f)}`).join('\n');
writeFileSync(join(out, 'SHA256SUMS'), `${sums}\n`);

console.log(`\nParley ${pkg.version} released to ${out}:\n`);
console.log(`  ${basename(tarball)}  (${packed[0].entryCount} files)`);
console.log(
  `  ${basename(sbomFile)}  (CycloneDX SBOM, ${JSON.parse(sbom).components?.length ?? 0} components)`,
);
console.log('  SHA256SUMS\n');
console.log(sums);
console.log(`\nVerify with: cd ${out} && sha256sum -c SHA256SUMS`);

/** The full SBOM cut down to what the tarball holds: everything reachable from the shipped packages. */
function shippedSbom(full) {
  const rootRef = full.metadata.component['bom-ref'];
  const graph = new Map(full.dependencies.map((d) => [d.ref, d.dependsOn ?? []]));
  const direct = new Map((graph.get(rootRef) ?? []).map((ref) => [ref.slice(0, ref.lastIndexOf('@')), ref]));
  const shipped = [...Object.keys(pkg.dependencies ?? {}), ...bundledPackages()];
  const keep = new Set();
  const stack = shipped.map((name) => direct.get(name)).filter(Boolean);
  while (stack.length > 0) {
    const ref = stack.pop();
    if (keep.has(ref)) continue;
    keep.add(ref);
    stack.push(...(graph.get(ref) ?? []));
  }
  return {
    ...full,
    metadata: { ...full.metadata, component: { ...full.metadata.component, name: pkg.name } },
    components: full.components.filter((c) => keep.has(c['bom-ref'])),
    dependencies: full.dependencies
      .filter((d) => d.ref === rootRef || keep.has(d.ref))
      .map((d) => (d.ref === rootRef ? { ...d, dependsOn: d.dependsOn.filter((r) => keep.has(r)) } : d)),
  };
}

/** Packages the widget and dashboard sources import (their code is compiled into the built assets). */
function bundledPackages() {
  const names = new Set();
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry) && !/\.test\.tsx?$|^vite\.config\.ts$/.test(entry)) {
        for (const m of readFileSync(full, 'utf8').matchAll(/from '([^.'][^']*)'/g)) {
          const spec = m[1];
          if (spec.startsWith('node:')) continue;
          names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
        }
      }
    }
  };
  walk(join(root, 'widget'));
  walk(join(root, 'dashboard'));
  return [...names];
}
