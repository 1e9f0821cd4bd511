import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Loader hooks for a worker started from the TypeScript sources: a relative `.js` import resolves to
 * the `.ts` beside it, and `.ts` files are transpiled (types erased, nothing checked) with the
 * project's own TypeScript as they are imported.
 */
const SOURCE_HOOKS = `
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
let ts;
export async function initialize(data) { ts = (await import(data.typescript)).default; }
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
  const out = ts.transpileModule(await readFile(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  return { format: 'module', source: out.outputText, shortCircuit: true };
}
`;

const FROM_SOURCE = `
const { register } = require('node:module');
const { workerData } = require('node:worker_threads');
register('data:text/javascript,' + encodeURIComponent(workerData.hooks), { data: { typescript: workerData.typescript } });
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
  const typescript = pathToFileURL(createRequire(import.meta.url).resolve('typescript')).href;
  return new Worker(FROM_SOURCE, {
    eval: true,
    env: {},
    workerData: { entry: source.href, hooks: SOURCE_HOOKS, typescript },
  });
}
