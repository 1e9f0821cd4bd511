import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Widget } from '../../protocol/api.js';
import { type CliProcess, runCli, until } from '../../test/support/cli-process.js';
import { connectVisitor, http, PASSWORD, type Probe, startVisitor } from '../../test/support/clients.js';
import { TEST_MASTER_KEY } from '../../test/support/keys.js';
import { createOwnDatabase } from '../../test/support/own-database.js';
import { hasPostgres, hasRedis, REDIS_URL } from '../../test/support/services.js';
import { freePort, type TestServer } from '../../test/support/test-server.js';
import { RATE_LIMIT_NAMES } from '../platform/http/rate-limits.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `Worker N (pid P) is serving.` lines, in the order they were printed. */
const serving = (output: string) =>
  [...output.matchAll(/Worker (\d+) \(pid (\d+)\) is serving/g)].map((m) => ({
    slot: Number(m[1]),
    pid: Number(m[2]),
  }));

describe('parley start --workers', () => {
  let dir = '';
  const started: CliProcess[] = [];
  let database: { url: string; drop(): Promise<void> } | undefined;

  afterEach(async () => {
    for (const s of started.splice(0)) {
      s.child.kill('SIGKILL');
      for (const w of serving(s.output())) if (alive(w.pid)) process.kill(w.pid, 'SIGKILL');
      await s.exited;
    }
    await database?.drop();
    database = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const environment = async (withServices: boolean) => {
    dir = mkdtempSync(join(tmpdir(), 'parley-workers-'));
    const port = await freePort();
    const env: Record<string, string> = {
      PARLEY_PORT: String(port),
      PARLEY_PUBLIC_URL: `http://127.0.0.1:${port}`,
      PARLEY_DATA_DIR: join(dir, 'data'),
      PARLEY_RATE_LIMITS: RATE_LIMIT_NAMES.map((n) => `${n}=1000000/60`).join(','),
    };
    if (withServices) {
      database = await createOwnDatabase('parley_workers');
      env.DATABASE_URL = database.url;
      env.PARLEY_MASTER_KEY = TEST_MASTER_KEY;
      env.REDIS_URL = REDIS_URL;
    }
    const origin = `http://127.0.0.1:${port}`;
    return { env, server: { url: origin, origin, wsUrl: `ws://127.0.0.1:${port}/ws` } as TestServer };
  };

  it('refuses several workers on the embedded SQLite, saying what they need', async () => {
    const { env } = await environment(false);
    const node = runCli(['start', '--workers', '2'], env);
    started.push(node);
    expect(await node.exited).toBe(2);
    expect(node.output()).toContain('needs DATABASE_URL and REDIS_URL');
    const typo = runCli(['start', '--workers', 'many'], env);
    started.push(typo);
    expect(await typo.exited).toBe(2);
    expect(typo.output()).toContain('PARLEY_WORKERS must be a whole number from 1 to 64');
  }, 60_000);

  it.runIf(hasPostgres && hasRedis)(
    'serves from two processes that share the port: messages cross them, a killed worker comes back, SIGTERM drains all',
    async () => {
      const { env, server } = await environment(true);
      const node = runCli(['start', '--workers', '2'], env);
      started.push(node);
      await until('the banner', async () => (node.output().includes('Pub/sub:') ? true : undefined), node);
      expect(node.output()).toContain('Workers:   2 processes');
      const workers = serving(node.output());
      expect(workers.map((w) => w.slot).sort()).toEqual([1, 2]);
      expect(new Set(workers.map((w) => w.pid)).size).toBe(2);
      // One setup link, from the primary: the workers do not each make one.
      expect(node.output().match(/#token=/g)?.length).toBe(1);

      const token = /#token=([A-Za-z0-9_-]+)/.exec(node.output())?.[1];
      const setup = await http(server, 'POST', '/api/v1/setup', {
        body: { token, email: 'admin@example.com', name: 'Ada', password: PASSWORD, workspaceName: 'Acme' },
      });
      expect(setup.status, JSON.stringify(setup.body)).toBe(201);
      const cookie = String(setup.headers.getSetCookie()[0]).split(';')[0] as string;
      const workspaceId = setup.body.workspace.id as string;
      const widget = await http<Widget>(server, 'POST', `/api/v1/workspaces/${workspaceId}/widgets`, {
        cookie,
        body: { name: 'Site', allowedOrigins: ['https://shop.example.com'], greeting: 'Hi' },
      });
      const visitor = await startVisitor(server, widget.body);

      // The primary hands connections to the workers in turn: of three sockets one at least is on
      // the other worker than the sender's, and hears the messages through Redis.
      const sockets: Probe[] = [];
      for (let i = 0; i < 3; i += 1) {
        const socket = await connectVisitor(server, visitor.credential);
        socket.send({ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: 0 });
        await socket.next('subscribed');
        sockets.push(socket);
      }
      const [sender] = sockets as [Probe];
      for (let i = 0; i < 5; i += 1) sender.sendMessage(visitor.conversationId, `across workers ${i}`);
      await sender.until((p) => p.of('message.ack').length === 5, 'five acks');
      for (const socket of sockets)
        await socket.until(
          (p) => p.of('message.new').filter((m) => m.message.body.startsWith('across workers')).length === 5,
          'every message on every socket',
        );
      for (const socket of sockets) socket.close();

      // A worker killed: the other keeps serving, and the primary starts it again.
      const victim = workers[0] as { slot: number; pid: number };
      process.kill(victim.pid, 'SIGKILL');
      await until(
        'the worker to be started again',
        async () =>
          serving(node.output()).some((w) => w.slot === victim.slot && w.pid !== victim.pid)
            ? true
            : undefined,
        node,
      );
      expect(node.output()).toContain(`Worker ${victim.slot} (pid ${victim.pid}) ended (SIGKILL)`);
      await until(
        '/readyz',
        async () => ((await fetch(`${server.url}/readyz`)).status === 200 ? true : undefined),
        node,
      );
      const after = await connectVisitor(server, visitor.credential);
      after.sendMessage(visitor.conversationId, 'after the restart');
      await after.until((p) => p.of('message.ack').length === 1, 'the ack');
      after.close();

      // SIGTERM to the primary: every worker drains and exits, then the primary exits 0.
      const pids = serving(node.output()).map((w) => w.pid);
      node.child.kill('SIGTERM');
      expect(await node.exited).toBe(0);
      expect(node.output()).toContain('Stopped.');
      for (const pid of pids) expect(alive(pid)).toBe(false);
      const list = await http(
        { url: server.url, origin: server.origin, wsUrl: server.wsUrl } as TestServer,
        'GET',
        `/api/v1/workspaces/${workspaceId}/conversations/${visitor.conversationId}/messages?limit=50`,
        { cookie },
      ).catch(() => null);
      // Nothing serves any more: the port is closed with the workers.
      expect(list).toBeNull();
    },
    180_000,
  );
});
