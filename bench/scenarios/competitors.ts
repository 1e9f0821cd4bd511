import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../harness/processes.js';

/** A published chat widget, as files of its npm package that a browser loads. */
export interface WidgetFiles {
  name: string;
  version: string;
  /** What the host page includes. */
  loader: string[];
  /** Everything loaded before the chat can be used (the loader included). */
  beforeInteractive: string[];
  /** How the file list was chosen, for the results file and the docs. */
  method: string;
}

/**
 * Downloads a package with `npm pack` into the cache (bench/.cache, outside git) and unpacks it;
 * a package already there is reused. Returns the unpacked `package/` directory.
 */
function unpacked(cacheDir: string, spec: string): string {
  mkdirSync(cacheDir, { recursive: true });
  const slug = spec.replace(/^@/, '').replace(/\//g, '-');
  const existing = readdirSync(cacheDir).find((d) => d.startsWith(`${slug}-`) && !d.endsWith('.tgz'));
  if (existing) return join(cacheDir, existing, 'package');
  const out = execFileSync('npm', ['pack', spec, '--pack-destination', cacheDir, '--silent'], {
    cwd: cacheDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tgz = out.trim().split('\n').pop() ?? '';
  const dir = join(cacheDir, tgz.replace(/\.tgz$/, ''));
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', join(cacheDir, tgz), '-C', dir]);
  return join(dir, 'package');
}

const version = (dir: string): string =>
  (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Rocket.Chat's livechat: the host page includes rocketchat-livechat.min.js, which opens an iframe
 * on build/index.html; that document loads its scripts, and the entry script then loads the chunks
 * it imports before rendering (`Promise.all([r.e(4), r.e(5)])`) with their CSS. Chunks loaded later
 * (routes, languages) are not counted, so the figure is if anything too small.
 */
function rocketChat(cacheDir: string): WidgetFiles {
  const dir = unpacked(cacheDir, '@rocket.chat/livechat');
  const build = join(dir, 'build');
  const html = readFileSync(join(build, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script src="(?:livechat\/)?([^"]+)"/g)].map((m) => m[1] as string);
  const files = readdirSync(build);
  const eager = new Set<string>();
  for (const s of scripts) {
    const js = readFileSync(join(build, s), 'utf8');
    for (const m of js.matchAll(/Promise\.all\(\[([^\]]*)\]\)/g))
      for (const id of (m[1] ?? '').matchAll(/\.e\((\d+)\)/g)) eager.add(id[1] as string);
  }
  const chunks = files.filter((f) =>
    [...eager].some((id) => new RegExp(`^${id}\\.chunk\\.[0-9a-f]+\\.(js|css)$`).test(f)),
  );
  return {
    name: 'Rocket.Chat livechat',
    version: version(dir),
    loader: [join(build, 'rocketchat-livechat.min.js')],
    beforeInteractive: [
      join(build, 'rocketchat-livechat.min.js'),
      join(build, 'index.html'),
      ...scripts.map((s) => join(build, s)),
      ...chunks.map((c) => join(build, c)),
    ],
    method: 'loader + iframe document + its scripts + the chunks its entry imports before rendering',
  };
}

/** Typebot: the page imports dist/web.js (the whole bubble, Solid and all); no iframe. */
function typebot(cacheDir: string): WidgetFiles {
  const dir = unpacked(cacheDir, '@typebot.io/js');
  const web = join(dir, 'dist', 'web.js');
  return {
    name: 'Typebot',
    version: version(dir),
    loader: [web],
    beforeInteractive: [web],
    method: 'dist/web.js, which the embed snippet imports',
  };
}

/**
 * Botpress: the package is React components (dist/index.umd.cjs, minified, every dependency but
 * React bundled) and dist/style.css; React and ReactDOM are its peers and load with it. There is
 * no separate loader, so the loader is the whole set.
 */
function botpress(cacheDir: string): WidgetFiles {
  const dir = unpacked(cacheDir, '@botpress/webchat');
  const nm = join(ROOT, 'node_modules');
  const react = [
    join(nm, 'react', 'cjs', 'react.production.js'),
    join(nm, 'react', 'cjs', 'react-jsx-runtime.production.js'),
    join(nm, 'react-dom', 'cjs', 'react-dom.production.js'),
    join(nm, 'react-dom', 'cjs', 'react-dom-client.production.js'),
    join(nm, 'scheduler', 'cjs', 'scheduler.production.js'),
  ].filter((f) => existsSync(f));
  const all = [join(dir, 'dist', 'index.umd.cjs'), join(dir, 'dist', 'style.css'), ...react];
  return {
    name: 'Botpress webchat',
    version: version(dir),
    loader: all,
    beforeInteractive: all,
    method: `dist/index.umd.cjs + dist/style.css + React ${version(join(nm, 'react'))} production builds`,
  };
}

export function competitorWidgets(cacheDir: string): { widgets: WidgetFiles[]; failures: string[] } {
  const widgets: WidgetFiles[] = [];
  const failures: string[] = [];
  for (const load of [rocketChat, typebot, botpress]) {
    try {
      widgets.push(load(cacheDir));
    } catch (err) {
      failures.push(`${load.name}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return { widgets, failures };
}
