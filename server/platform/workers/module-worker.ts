import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Loader hooks for a worker started from the TypeScript sources: a relative `.js` import resolves to
 * the `.ts` beside it, and `.ts` files are transpiled (types erased, nothing checked) as they are
 * imported, with Vite's transform (Oxc), the one the tests' own modules go through; it loads in a
 * tenth of the time the TypeScript compiler does, and every test server starts a worker.
 */
const SOURCE_HOOKS = `
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
let transform;
export async function initialize(data) { transform = (await import(data.vite)).transformWithOxc; }
export async function resolve(specifier, context, next) {
  if (context.parentURL?.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js')) {
    const source = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
    if (existsSync(source)) return { url: source.href, shortCircuit: true };
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const file = fileURLToPath(url);
  const out = await transform(await readFile(file, 'utf8'), file, { target: 'node20' });
  return { format: 'module', source: out.code, shortCircuit: true };
}
`;

const FROM_SOURCE = `
const { register } = require('node:module');
const { workerData } = require('node:worker_threads');
register('data:text/javascript,' + encodeURIComponent(workerData.hooks), { data: { vite: workerData.vite } });
import(workerData.entry);
`;

/**
 * A worker thread running the module at `url`, given as the compiled file's URL
 * (`new URL('./x-worker.js', import.meta.url)`). In the build that file exists and runs as is. Run
 * from the TypeScript sources (as the tests run), only `x-worker.ts` is there: the worker then
 * transpiles the sources it imports, so it runs the same code as the thread that started it. The
 * worker gets an empty environment: it computes, it reads no configuration.
 */
export function startModuleWorker(url: URL): Worker {
  if (existsSync(url)) return new Worker(url, { env: {} });
  const source = new URL(url.href.replace(/\.js$/, '.ts'));
  if (!existsSync(source)) throw new Error(`No worker module at ${fileURLToPath(url)}.`);
  const vite = pathToFileURL(createRequire(import.meta.url).resolve('vite')).href;
  return new Worker(FROM_SOURCE, {
    eval: true,
    env: {},
    workerData: { entry: source.href, hooks: SOURCE_HOOKS, vite },
  });
}
