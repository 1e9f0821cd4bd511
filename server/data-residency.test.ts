import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Me, Widget } from '../protocol/api.js';
import { cleanEnv } from '../test/support/clean-env.js';
import {
  connectAgent,
  connectVisitor,
  createWidget,
  http,
  PASSWORD,
  type Probe,
  sessionCookie,
  startVisitor,
  type TestAgent,
} from '../test/support/clients.js';
import { spawnNode } from '../test/support/spawned-node.js';
import { createTestDatabase } from '../test/support/test-server.js';

const HOOK = new URL('../test/support/outbound-hook.mjs', import.meta.url).pathname;

interface Attempt {
  kind: string;
  host?: string;
  port?: number;
  path?: string;
}

const read = (file: string): Attempt[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Attempt)
    : [];

/** Loopback, a unix socket, or the name "localhost": nothing that leaves the machine. */
function stays(a: Attempt): boolean {
  if (a.path !== undefined) return true;
  const host = (a.host ?? '').replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1' || host === '::ffff:127.0.0.1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * Nothing leaves the machine by default: the built CLI, with a clean environment and a hook that
 * records every connection, datagram and name lookup the process attempts, goes through setup, a
 * widget, a visitor's chat, a handoff, an operator's reply, a password-reset mail and retention runs;
 * every attempt stays on loopback.
 */
describe('data residency', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('the recorder sees a connection that would leave the machine (so an empty record means something)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-outbound-'));
    dirs.push(dir);
    const log = join(dir, 'outbound.jsonl');
    const { spawnSync } = await import('node:child_process');
    spawnSync(
      process.execPath,
      [
        '--import',
        HOOK,
        '-e',
        "const s=require('node:net').connect(9,'192.0.2.1');s.on('error',()=>{});require('node:dns').lookup('example.org',()=>{});setTimeout(()=>process.exit(0),200)",
      ],
      { env: cleanEnv({ OUTBOUND_LOG: log }), timeout: 30_000 },
    );
    const attempts = read(log);
    expect(attempts).toContainEqual({ kind: 'connect', host: '192.0.2.1', port: 9 });
    expect(attempts.filter((a) => !stays(a)).length).toBe(2);
  });

  it('a whole scenario on the default configuration connects to nothing beyond loopback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-outbound-'));
    dirs.push(dir);
    const log = join(dir, 'outbound.jsonl');
    const database = await createTestDatabase('sqlite');
    const node = await spawnNode(database, {
      nodeArgs: ['--import', HOOK],
      env: { OUTBOUND_LOG: log, PARLEY_RETENTION_INTERVAL_SECONDS: '5' },
    });
    const sockets: Probe[] = [];
    try {
      // Setup through the one-time link the start printed.
      // The link is printed just after "Parley is running": wait for it.
      let link: string | undefined;
      for (const deadline = Date.now() + 20_000; !link && Date.now() < deadline; ) {
        link = /(http:\/\/\S+#token=\S+)/.exec(node.output())?.[1];
        if (!link) await new Promise((r) => setTimeout(r, 25));
      }
      expect(link).toBeDefined();
      const token = new URL(link as string).hash.replace('#token=', '');
      const setup = await http<Me>(node, 'POST', '/api/v1/setup', {
        body: { token, email: 'admin@example.com', name: 'Ada', password: PASSWORD, workspaceName: 'Acme' },
      });
      expect(setup.status).toBe(201);
      const admin: TestAgent = {
        cookie: sessionCookie(setup),
        me: setup.body,
        workspaceId: setup.body.workspace.id,
      };
      const widget: Widget = await createWidget(node, admin);
      // The embed: the loader and the frame, as a host page would load them.
      expect((await fetch(`${node.url}/widget.js`)).status).toBe(200);
      await fetch(`${node.url}/w/${widget.id}`);

      // A visitor writes; with no bot the conversation goes to the queue; the administrator takes it
      // and answers; the visitor receives the answer.
      const visitor = await startVisitor(node, widget);
      const v = await connectVisitor(node, visitor.credential);
      sockets.push(v);
      v.send({ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: 0 });
      await v.next('subscribed');
      v.sendMessage(visitor.conversationId, 'Hello, is anyone there?');
      await v.next('message.ack');
      const ws = `/api/v1/workspaces/${admin.workspaceId}`;
      let queue: { id: string }[] = [];
      for (let i = 0; i < 400 && queue.length === 0; i++) {
        queue =
          (await http(node, 'GET', `${ws}/queries?view=queue`, { cookie: admin.cookie })).body.items ?? [];
        if (queue.length === 0) await new Promise((r) => setTimeout(r, 25));
      }
      expect(queue).toHaveLength(1);
      const pick = await http(node, 'POST', `${ws}/queries/${(queue[0] as { id: string }).id}/pick`, {
        cookie: admin.cookie,
        body: {},
      });
      expect(pick.status).toBe(200);
      const a = await connectAgent(node, admin);
      sockets.push(a);
      a.sendMessage(visitor.conversationId, 'Yes, how can I help?');
      await a.next('message.ack');
      await v.until((p) => p.of('message.new').some((f) => f.message.author.kind === 'agent'), 'the answer');

      // Mail: a password reset goes to the outbox, not to a mail server.
      const reset = await http(node, 'POST', '/api/v1/auth/password-reset', {
        body: { email: 'admin@example.com' },
      });
      expect(reset.status).toBeLessThan(300);
      // Retention runs (every 5 s here) and the owed-turn sweeps run meanwhile.
      await new Promise((r) => setTimeout(r, 6_000));
    } finally {
      for (const s of sockets) s.close();
      await node.stop();
      await database.drop();
    }
    const leaving = read(log).filter((a) => !stays(a));
    expect(leaving).toEqual([]);
  }, 120_000); // a spawned node through a whole scenario and two retention runs, on a busy machine
});
