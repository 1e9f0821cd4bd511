import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GcTrace } from './gc-trace.js';
import { BENCH_ADMIN, BENCH_HOST_ORIGIN, parleyEnv } from './parley-env.js';
import { type Child, DIST, freePort, spawnNode, waitForOutput } from './processes.js';

export interface ParleyNode {
  child: Child;
  /** With `--gc`: the node's collections (gc-trace.ts). */
  gc: GcTrace | null;
  url: string;
  port: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface BenchWorkspace {
  adminCookie: string;
  workspaceId: string;
  widgetId: string;
  hostOrigin: string;
}

/**
 * Starts `node dist/server/main.js start` as its own process, with the bench's settings only, and
 * waits until it serves. With `profileDir`, the node writes a V8 CPU profile there when it stops.
 */
export async function startParley(options: {
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  publicHost?: 'localhost' | '127.0.0.1';
  profileDir?: string;
  name?: string;
  /** Reuse a port (a restarted node keeps its address, so clients' URLs stay valid). */
  port?: number;
  /** More arguments for `parley start` (`--workers N`). */
  args?: string[];
  /** Settings beyond the bench's own (parley-env.ts). */
  env?: Record<string, string>;
}): Promise<ParleyNode & { setupToken: string | null }> {
  const port = options.port ?? (await freePort());
  mkdirSync(options.dataDir, { recursive: true });
  const env = parleyEnv({ port, ...options });
  const flags = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  // `--node-flags`: a deployment's own Node/V8 flags, measured as it would run them.
  flags.push(...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []));
  // `--statements`: the node counts and times its SQLite statements (statement-counter.ts).
  const statementsDir = process.env.BENCH_STATEMENTS_DIR;
  if (statementsDir) {
    mkdirSync(statementsDir, { recursive: true });
    flags.push('--import', pathToFileURL(join(DIST, 'bench', 'harness', 'statement-counter.js')).href);
    env.BENCH_STATEMENTS_FILE = join(statementsDir, `${options.name ?? 'Parley'}-${port}.tsv`);
  }
  // `--gc`: the node prints a line per collection (gc-trace.ts).
  const gc = process.env.BENCH_GC_TRACE ? new GcTrace(performance.now()) : null;
  if (gc) flags.push('--trace-gc-nvp');
  const child = spawnNode(
    options.name ?? 'Parley',
    [...flags, join(DIST, 'server', 'main.js'), 'start', ...(options.args ?? [])],
    { env, ...(gc ? { trace: gc } : {}) },
  );
  await waitForOutput(child, /Pub\/sub:/);
  const url = env.PARLEY_PUBLIC_URL as string;
  const status = await call<{ needsSetup: boolean }>(url, 'GET', '/api/v1/setup');
  const setupToken = status.body.needsSetup
    ? ((await waitForOutput(child, /#token=([A-Za-z0-9_-]+)/))[1] ?? null)
    : null;
  return { child, gc, url, port, setupToken, stop: (signal) => child.stop(signal) };
}

export async function call<T = any>(
  url: string,
  method: string,
  path: string,
  options: { body?: unknown; cookie?: string } = {},
): Promise<{ status: number; body: T; cookie: string | null }> {
  const headers: Record<string, string> = { origin: new URL(url).origin };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.cookie) headers.cookie = options.cookie;
  const res = await fetch(url + path, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  const set = res.headers.getSetCookie().find((c) => c.startsWith('__Host-parley_session='));
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : null) as T,
    cookie: set ? (set.split(';')[0] as string) : null,
  };
}

function expectStatus(what: string, res: { status: number; body: unknown }, status: number): void {
  if (res.status !== status)
    throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
}

/** The first administrator (through the one-time setup link) and a widget, all through the API. */
export async function setupWorkspace(
  url: string,
  setupToken: string,
  allowedOrigins: string[] = [BENCH_HOST_ORIGIN],
): Promise<BenchWorkspace> {
  const { email, name, password, workspaceName } = BENCH_ADMIN;
  const setup = await call(url, 'POST', '/api/v1/setup', {
    body: { token: setupToken, email, name, password, workspaceName },
  });
  expectStatus('setup', setup, 201);
  const workspaceId = setup.body.workspace.id as string;
  const adminCookie = setup.cookie ?? '';
  const widgetId = await createWidget(url, adminCookie, workspaceId, allowedOrigins);
  return { adminCookie, workspaceId, widgetId, hostOrigin: allowedOrigins[0] as string };
}

export async function createWidget(
  url: string,
  cookie: string,
  workspaceId: string,
  allowedOrigins: string[],
): Promise<string> {
  const widget = await call(url, 'POST', `/api/v1/workspaces/${workspaceId}/widgets`, {
    cookie,
    body: { name: 'Bench widget', allowedOrigins, greeting: 'Hi! How can we help?' },
  });
  expectStatus('create widget', widget, 201);
  return widget.body.id as string;
}

/** Signs the administrator in `count` times: one session per operator socket, as separate browsers. */
export async function operatorSessions(url: string, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const res = await call(url, 'POST', '/api/v1/auth/login', {
        body: { email: BENCH_ADMIN.email, password: BENCH_ADMIN.password },
      });
      expectStatus('login', res, 200);
      return res.cookie ?? '';
    }),
  );
}
