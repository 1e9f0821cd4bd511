import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  connectAgent,
  createWidget,
  http,
  setupAdmin,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { TEST_MASTER_KEY, TEST_MASTER_KEY_2 } from '../../../test/support/keys.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { kekId, openKeyRing, readKeyFile, writeKeyFile } from '../../platform/crypto/key-ring.js';
import { retireMasterKey, rotateMasterKey } from './manage-master-keys.js';

/** Every message and preview of the workspace, as the administrator reads them over HTTP. */
async function readEverything(server: TestServer, admin: TestAgent): Promise<string[]> {
  const base = `/api/v1/workspaces/${admin.workspaceId}/conversations`;
  const list = await http(server, 'GET', `${base}?status=all`, { cookie: admin.cookie });
  expect(list.status).toBe(200);
  const out: string[] = [];
  for (const c of list.body.items as Array<{ id: string; lastMessagePreview: string }>) {
    const msgs = await http(server, 'GET', `${base}/${c.id}/messages`, { cookie: admin.cookie });
    expect(msgs.status, JSON.stringify(msgs.body)).toBe(200);
    out.push(c.lastMessagePreview, ...msgs.body.items.map((m: { body: string }) => m.body));
  }
  return out.sort();
}

async function say(server: TestServer, admin: TestAgent, conversationId: string, body: string) {
  const probe = await connectAgent(server, admin);
  probe.sendMessage(conversationId, body);
  await probe.next('message.ack');
  probe.close();
}

describe.each(DIALECTS)('master key rotation (%s)', (dialect) => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });
  const fresh = async () => {
    const database = await createTestDatabase(dialect);
    cleanup.push(() => database.drop());
    return database;
  };
  const serve = async (database: TestDatabase, env: Record<string, string>) => {
    const server = await startTestServer({ database, env });
    cleanup.push(() => server.close());
    return server;
  };

  it('with a key file: rotates while a node serves, resumes when interrupted, then retires the old key', async () => {
    const database = await fresh();
    const file = join(mkdtempSync(join(tmpdir(), 'parley-keys-')), 'master.keys');
    writeKeyFile(file, [TEST_MASTER_KEY]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const env = { PARLEY_MASTER_KEY: '', PARLEY_MASTER_KEY_FILE: file };
    const server = await serve(database, env);
    const admin = await setupAdmin(server);
    const widget = await createWidget(server, admin);
    const visitors = [];
    for (let i = 0; i < 4; i += 1) visitors.push(await startVisitor(server, widget));
    for (const [i, v] of visitors.entries())
      await say(server, admin, v.conversationId, `before rotation ${i}`);
    const before = await readEverything(server, admin);
    expect(before).toContain('before rotation 3');

    // The CLI's own ring, as a separate process would have it.
    const cli = openKeyRing({ kind: 'file', file, create: false }).ring;
    const stop = new AbortController();
    const first = await rotateMasterKey({
      db: server.db.db,
      ring: cli,
      batchSize: 1,
      signal: stop.signal,
      onProgress: (done) => {
        if (done >= 2) stop.abort();
      },
    });
    const k2 = first.addedKekId as string;
    expect(k2).toMatch(/^k[0-9a-f]{12}$/);
    expect(readKeyFile(file)).toHaveLength(2);
    expect(first).toMatchObject({ finished: false, resumed: false, rewrapped: 2, targetKekId: k2 });
    expect(first.remaining).toBeGreaterThan(0);

    // Mid-rotation the node keeps serving: old and new wraps both read; new writes work.
    server.app.vault.clear();
    expect(await readEverything(server, admin)).toEqual(before);
    const late = await startVisitor(server, widget);
    await say(server, admin, late.conversationId, 'during rotation');

    const second = await rotateMasterKey({ db: server.db.db, ring: cli, batchSize: 1 });
    expect(second).toMatchObject({ finished: true, resumed: true, remaining: 0, addedKekId: null });
    expect(first.rewrapped + second.rewrapped).toBeGreaterThanOrEqual(first.remaining);

    const k1 = kekId(Buffer.from(TEST_MASTER_KEY, 'base64'));
    expect(await retireMasterKey({ db: server.db.db, ring: cli, kekId: k2 })).toMatchObject({
      kind: 'refused',
    });
    expect(await retireMasterKey({ db: server.db.db, ring: cli, kekId: k1 })).toEqual({ kind: 'removed' });
    expect(readKeyFile(file)).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).not.toContain(TEST_MASTER_KEY);

    server.app.vault.clear();
    const after = await readEverything(server, admin);
    expect(after).toEqual([...before, 'during rotation', 'during rotation', 'Hi! How can we help?'].sort());
    await server.close();
    cleanup.pop();
    const restarted = await serve(database, env);
    const again = await readEverything(restarted, admin);
    expect(again).toEqual(after);
  });

  it('with PARLEY_MASTER_KEY: data written under the old key reads after rotation and after the old key is gone', async () => {
    const database = await fresh();
    const old = await serve(database, { PARLEY_MASTER_KEY: TEST_MASTER_KEY });
    const admin = await setupAdmin(old);
    const widget = await createWidget(old, admin);
    const v = await startVisitor(old, widget);
    await say(old, admin, v.conversationId, 'written under the old key');
    const before = await readEverything(old, admin);
    await old.close();
    cleanup.pop();

    const both = `${TEST_MASTER_KEY_2},${TEST_MASTER_KEY}`;
    const mid = await serve(database, { PARLEY_MASTER_KEY: both });
    expect(await readEverything(mid, admin)).toEqual(before);
    const ring = openKeyRing({ kind: 'env', keys: both.split(',') }).ring;
    const result = await rotateMasterKey({ db: mid.db.db, ring, batchSize: 10 });
    expect(result).toMatchObject({ finished: true, addedKekId: null, remaining: 0 });
    // The visitor's data key, and the workspace's index key (its search key is derived from it).
    expect(result.rewrapped).toBe(2);
    const k1 = kekId(Buffer.from(TEST_MASTER_KEY, 'base64'));
    expect(await retireMasterKey({ db: mid.db.db, ring, kekId: k1 })).toMatchObject({ kind: 'unused' });
    await mid.close();
    cleanup.pop();

    const only = await serve(database, { PARLEY_MASTER_KEY: TEST_MASTER_KEY_2 });
    expect(await readEverything(only, admin)).toEqual(before);
  });
});
