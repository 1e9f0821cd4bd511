import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectAgent,
  connectVisitor,
  createWidget,
  http,
  type Probe,
  setupAdmin,
  startVisitor,
} from '../../../test/support/clients.js';
import { DIALECTS } from '../../../test/support/services.js';
import { spawnNode } from '../../../test/support/spawned-node.js';
import {
  createTestDatabase,
  freePort,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { type ConfigError, loadConfig } from '../../config.js';
import { createWorkspace } from '../../modules/workspaces/create-workspace.js';
import { clock } from '../clock.js';
import { LABEL_VALUES } from './registry.js';

const TOKEN = 'm'.repeat(20) + 'etrics-token-for-tests-0123456789';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format, one sample per line (comments skipped). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1] as string] = pair[2] as string;
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return samples;
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);

/**
 * Labels of the Node.js runtime series prom-client adds (process, heap spaces, GC kinds, handle
 * types, the Node version): each a word of the runtime, none from a request.
 */
const RUNTIME_LABELS: Record<string, RegExp> = {
  version: /^v\d+\.\d+\.\d+$/,
  major: /^\d+$/,
  minor: /^\d+$/,
  patch: /^\d+$/,
  space: /^[a-z_]+$/,
  kind: /^(major|minor|incremental|weakcb)$/,
  type: /^[A-Za-z]+$/,
};

describe('metrics settings', () => {
  const base = { PARLEY_PORT: '8080' };
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ ...base, ...env });
      return '';
    } catch (err) {
      return (err as ConfigError).problems.join('\n');
    }
  };

  it('is off by default', () => {
    expect(loadConfig(base).metrics).toBeNull();
  });

  it('refuses the public listener without a token, and a non-loopback metrics address without one', () => {
    expect(problems({ PARLEY_METRICS_PORT: '8080' })).toMatch(
      /PARLEY_METRICS_PORT must differ from PARLEY_PORT/,
    );
    expect(problems({ PARLEY_METRICS_PORT: '9100', PARLEY_METRICS_HOST: '0.0.0.0' })).toMatch(
      /Refusing to serve metrics on 0\.0\.0\.0 without PARLEY_METRICS_TOKEN/,
    );
    expect(problems({ PARLEY_METRICS_TOKEN: 'short' })).toMatch(/PARLEY_METRICS_TOKEN must be 32/);
    expect(problems({ PARLEY_METRICS_HOST: '127.0.0.1' })).toMatch(/needs PARLEY_METRICS_PORT/);
  });

  it('takes a loopback port, a token-guarded port elsewhere, or the token on the main listener', () => {
    expect(loadConfig({ ...base, PARLEY_METRICS_PORT: '9100' }).metrics).toEqual({
      port: 9100,
      host: '127.0.0.1',
      token: null,
    });
    expect(
      loadConfig({
        ...base,
        PARLEY_METRICS_PORT: '9100',
        PARLEY_METRICS_HOST: '10.0.0.2',
        PARLEY_METRICS_TOKEN: TOKEN,
      }).metrics,
    ).toEqual({ port: 9100, host: '10.0.0.2', token: TOKEN });
    expect(loadConfig({ ...base, PARLEY_METRICS_TOKEN: TOKEN }).metrics).toEqual({
      port: null,
      host: '',
      token: TOKEN,
    });
  });
});

describe.each(DIALECTS)('/metrics (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  const sockets: Probe[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startTestServer({ database, env: { PARLEY_METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.close();
    await database?.drop();
  });

  const scrape = (authorization?: string) =>
    fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });

  it('answers only to the bearer token', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape(`Bearer ${'x'.repeat(40)}`)).status).toBe(401);
    expect((await scrape(`Basic ${Buffer.from(`a:${TOKEN}`).toString('base64')}`)).status).toBe(401);
    const ok = await scrape(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('counts a whole scenario, and no label carries personal data or an unbounded value', async () => {
    const admin = await setupAdmin(server, undefined, 'zelda.admin@example.com');
    const widget = await createWidget(server, admin);
    const visitor = await startVisitor(server, widget);
    const operator = await addAgent(server, admin.workspaceId, 'operator', 'olga.operator@example.com');
    const secretWords = 'Priya Patel lives at 42 Elm Street';
    // A refused password, twice.
    for (let i = 0; i < 2; i++) {
      const res = await http(server, 'POST', '/api/v1/auth/login', {
        body: { email: 'olga.operator@example.com', password: 'not the password at all' },
      });
      expect(res.status).toBe(401);
    }
    // The visitor writes (no bot: the conversation is queued), the operator picks it and answers.
    const v = await connectVisitor(server, visitor.credential);
    sockets.push(v);
    v.send({ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: 0 });
    await v.next('subscribed');
    v.sendMessage(visitor.conversationId, secretWords);
    await v.next('message.ack');
    const ws = `/api/v1/workspaces/${admin.workspaceId}`;
    let queue: { id: string }[] = [];
    for (let i = 0; i < 200 && queue.length === 0; i++) {
      queue = (await http(server, 'GET', `${ws}/queries?view=queue`, { cookie: operator.cookie })).body.items;
      if (queue.length === 0) await new Promise((r) => setTimeout(r, 25));
    }
    expect(queue).toHaveLength(1);
    const before = parse(await (await scrape(`Bearer ${TOKEN}`)).text());
    expect(value(before, 'parley_queue_waiting')).toBe(1);
    const picked = await http(server, 'POST', `${ws}/queries/${(queue[0] as { id: string }).id}/pick`, {
      cookie: operator.cookie,
      body: {},
    });
    expect(picked.status).toBe(200);
    const o = await connectAgent(server, operator);
    sockets.push(o);
    o.sendMessage(visitor.conversationId, 'Hello Priya, happy to help');
    await o.next('message.ack');

    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    const samples = parse(text);
    expect(value(samples, 'parley_messages_total', { kind: 'visitor' })).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'parley_messages_total', { kind: 'agent' })).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'parley_message_send_seconds_count', { kind: 'visitor' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(value(samples, 'parley_open_sockets', { kind: 'visitor' })).toBe(1);
    expect(value(samples, 'parley_open_sockets', { kind: 'agent' })).toBe(1);
    expect(value(samples, 'parley_queue_waiting')).toBe(0);
    expect(value(samples, 'parley_assignments_total', { mode: 'pick' })).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'parley_queue_wait_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'parley_auth_failures_total', { action: 'login' })).toBeGreaterThanOrEqual(2);
    expect(value(samples, 'parley_key_ring_keys')).toBe(1);
    expect(value(samples, 'parley_data_keys_on_older_master_keys')).toBe(0);
    expect(samples.some((s) => s.name === 'parley_database_errors_total')).toBe(true);
    expect(samples.some((s) => s.name === 'parley_pubsub_errors_total')).toBe(true);
    expect(
      samples.some(
        (s) => s.name === 'parley_auth_lockouts_total' || text.includes('# HELP parley_auth_lockouts_total'),
      ),
    ).toBe(true);
    expect(samples.some((s) => s.name.startsWith('nodejs_eventloop_lag'))).toBe(true);
    if (dialect === 'sqlite')
      expect(value(samples, 'parley_commit_group_size_count')).toBeGreaterThanOrEqual(1);

    // Every label value is a word from its closed list (or the runtime's); nothing of the scenario.
    for (const s of samples) {
      for (const [label, v] of Object.entries(s.labels)) {
        if (label === 'le' || label === 'quantile') continue;
        if (s.name.startsWith('parley_')) {
          expect(LABEL_VALUES[label as keyof typeof LABEL_VALUES], `${s.name} label ${label}`).toBeDefined();
          expect(LABEL_VALUES[label as keyof typeof LABEL_VALUES] as readonly string[]).toContain(v);
        } else {
          expect(RUNTIME_LABELS[label], `${s.name} label ${label}`).toBeDefined();
          expect(v, `${s.name} ${label}`).toMatch(RUNTIME_LABELS[label] as RegExp);
        }
      }
    }
    for (const word of [
      'Priya',
      'example.com',
      admin.workspaceId,
      widget.id,
      visitor.conversationId,
      visitor.visitor.id,
      '127.0.0.1',
    ])
      expect(text).not.toContain(word);
  });

  it('the Grafana dashboard asks only for series Parley exports', async () => {
    const dashboard = readFileSync(new URL('../../../docs/grafana-dashboard.json', import.meta.url), 'utf8');
    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    const exported = new Set([...text.matchAll(/^# TYPE (\S+) (\w+)/gm)].map((m) => m[1] as string));
    const asked = new Set(
      [...dashboard.matchAll(/\b((?:parley|nodejs|process)_\w+)/g)].map((m) => m[1] as string),
    );
    expect(asked.size).toBeGreaterThan(10);
    for (const name of asked)
      expect(exported.has(name.replace(/_(bucket|count|sum)$/, '')), `${name} in the dashboard`).toBe(true);
  });

  it('counts refusals by limit, failed sign-ins and the lockout they end in', async () => {
    const refusalsBefore = value(
      parse(await (await scrape(`Bearer ${TOKEN}`)).text()),
      'parley_rate_limit_refusals_total',
      { limit: 'sign-in' },
    );
    await addAgent(
      server,
      (
        await setupAdmin(
          server,
          (
            await createWorkspace({ db: server.db.db, name: 'Locked' })
          ).id,
          'lock@example.com',
        )
      ).workspaceId,
      'operator',
      'victim@example.com',
    );
    const saved = clock.now;
    let offset = 0;
    clock.now = () => saved() + offset;
    try {
      // Ten wrong passwords, each after the previous delay has passed: the account locks out.
      for (let i = 0; i < 10; i++) {
        offset += 61_000;
        const res = await http(server, 'POST', '/api/v1/auth/login', {
          body: { email: 'victim@example.com', password: `wrong password number ${i}` },
        });
        expect(res.status).toBe(401);
      }
    } finally {
      clock.now = saved;
    }
    const samples = parse(await (await scrape(`Bearer ${TOKEN}`)).text());
    expect(value(samples, 'parley_auth_lockouts_total', { scope: 'account' })).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'parley_auth_failures_total', { action: 'login' })).toBeGreaterThanOrEqual(10);
    expect(value(samples, 'parley_rate_limit_refusals_total', { limit: 'sign-in' })).toBe(refusalsBefore);
  });
});

describe('/metrics refusals', () => {
  it('counts a request refused by a limit under that limit’s name', async () => {
    const database = await createTestDatabase('sqlite');
    const server = await startTestServer({
      database,
      env: { PARLEY_METRICS_TOKEN: TOKEN, PARLEY_RATE_LIMITS: 'sign-in=2/60' },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await http(server, 'POST', '/api/v1/auth/login', {
          body: { email: 'nobody@example.com', password: 'not a password anyone has' },
        });
        statuses.push(res.status);
      }
      expect(statuses).toContain(429);
      const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const samples = parse(await res.text());
      expect(value(samples, 'parley_rate_limit_refusals_total', { limit: 'sign-in' })).toBe(
        statuses.filter((s) => s === 429).length,
      );
    } finally {
      await server.close();
      await database.drop();
    }
  });
});

describe('/metrics when not configured', () => {
  it('is not served (404), and nothing is collected', async () => {
    const database = await createTestDatabase('sqlite');
    const server = await startTestServer({ database });
    try {
      const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
      expect(server.app.metrics.enabled).toBe(false);
      expect((await server.app.metrics.registry.metrics()).trim()).toBe('');
    } finally {
      await server.close();
      await database.drop();
    }
  });
});

describe('the metrics listener of its own (parley start)', () => {
  it('serves /metrics on PARLEY_METRICS_PORT at 127.0.0.1 only, and not on the public listener', async () => {
    const database = await createTestDatabase('sqlite');
    const metricsPort = await freePort();
    const node = await spawnNode(database, { env: { PARLEY_METRICS_PORT: String(metricsPort) } });
    try {
      expect(node.output()).toContain(`Metrics:   http://127.0.0.1:${metricsPort}/metrics`);
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('# TYPE parley_messages_total counter');
      expect(text).toContain('nodejs_eventloop_lag_p99_seconds');
      expect((await fetch(`http://127.0.0.1:${metricsPort}/`)).status).toBe(404);
      expect((await fetch(`${node.url}/metrics`)).status).toBe(404);
    } finally {
      await node.stop();
      await database.drop();
    }
  });

  it('asks for the token there too when one is set', async () => {
    const database = await createTestDatabase('sqlite');
    const metricsPort = await freePort();
    const node = await spawnNode(database, {
      env: { PARLEY_METRICS_PORT: String(metricsPort), PARLEY_METRICS_TOKEN: TOKEN },
    });
    try {
      expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(401);
      const ok = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(ok.status).toBe(200);
    } finally {
      await node.stop();
      await database.drop();
    }
  });
});
