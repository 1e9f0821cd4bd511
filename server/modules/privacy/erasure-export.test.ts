import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectAgent,
  connectVisitor,
  http,
  type Probe,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { rawOccurrences } from '../../../test/support/raw-data.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { listTables } from '../../platform/db/dump/schema-catalog.js';
import { runRetention } from '../retention/run-retention.js';

/** Where each sealed column's associated data takes its row id from. */
const SEALED_ROW_ID: Record<string, string> = { visitor_profiles: 'visitor_id' };
/**
 * Secrets and key material are not data about the person; they stay out of an export. A message's
 * storage id is internal: the export names each message by conversation and seq.
 */
const NOT_EXPORTED = new Set([
  'messages.id',
  'visitor_credentials.token_hash',
  'visitor_profiles.email_index',
  'ws_tickets.token_hash',
]);
/** Tables with rows about a visitor, and how a row is tied to them. */
const ABOUT_VISITOR: Record<
  string,
  (ids: { visitor: string; conversations: string[] }) => [string, string[]]
> = {
  visitors: (ids) => ['id', [ids.visitor]],
  visitor_profiles: (ids) => ['visitor_id', [ids.visitor]],
  visitor_credentials: (ids) => ['visitor_id', [ids.visitor]],
  conversations: (ids) => ['visitor_id', [ids.visitor]],
  conversation_archives: (ids) => ['visitor_id', [ids.visitor]],
  messages: (ids) => ['conversation_id', ids.conversations],
  conversation_notes: (ids) => ['conversation_id', ids.conversations],
};
/** Tables that carry a visitor id but hold nothing to export: tickets live 30 s, keys are keys, erasures are ids. */
const VISITOR_ID_ELSEWHERE = new Set(['ws_tickets', 'data_keys', 'erasures']);

function leaves(value: unknown): Array<string | number> {
  if (typeof value === 'string') {
    if (value.startsWith('{') || value.startsWith('[')) {
      try {
        return leaves(JSON.parse(value));
      } catch {
        return [value];
      }
    }
    return [value];
  }
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [];
}

describe.each(DIALECTS)('a visitor’s export and erasure (%s)', (dialect) => {
  let s: Scenario;
  let operator: TestAgent;
  let supervisor: TestAgent;
  let live: { credential: string; conversationId: string };
  const visitorId = () => s.visitor.visitor.id;
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;

  beforeAll(async () => {
    s = await startScenario(dialect);
    operator = await addAgent(s.server, s.admin.workspaceId, 'operator', 'op@example.com');
    supervisor = await addAgent(s.server, s.admin.workspaceId, 'supervisor', 'sup@example.com');
    await http(s.server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${s.visitor.credential}` },
      body: {
        name: 'Erin Example',
        email: 'erin@example.com',
        phone: '+1 415 555 0100',
        custom: { plan: 'pro', city: 'Oslo' },
      },
    });
    const agent = await connectAgent(s.server, s.admin);
    agent.sendMessage(s.visitor.conversationId, 'first conversation, soon archived');
    await agent.next('message.ack');
    await http(s.server, 'POST', `${base()}/conversations/${s.visitor.conversationId}/notes`, {
      cookie: s.admin.cookie,
      body: { body: 'note in the first conversation' },
    });
    // 91 days on, the first conversation (default rule: 90 days) moves to the archive.
    const r = await runRetention({
      db: s.server.db.db,
      vault: s.server.app.vault,
      now: new Date(Date.now() + 91 * 86_400_000),
      batchSize: 50,
      node: 't',
    });
    expect(r.totals.conversationsArchived).toBe(1);
    // The visitor comes back: same visitor, a new conversation.
    const back = await startVisitor(s.server, s.widget, s.visitor.credential);
    live = { credential: back.credential, conversationId: back.conversationId };
    await http(s.server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${live.credential}` },
      body: { name: 'Erin Example', email: 'erin@example.com', custom: { plan: 'pro' } },
    });
    agent.sendMessage(live.conversationId, 'second conversation, still live');
    await agent.next('message.ack', 2);
    await http(s.server, 'POST', `${base()}/conversations/${live.conversationId}/notes`, {
      cookie: s.admin.cookie,
      body: { body: 'note in the second conversation' },
    });
    agent.close();
  });
  afterAll(async () => s?.close());

  it('exports every field held about the visitor, decrypted, to administrators only', async () => {
    for (const who of [operator, supervisor]) {
      expect(
        (await http(s.server, 'GET', `${base()}/visitors/${visitorId()}/export`, { cookie: who.cookie }))
          .status,
      ).toBe(403);
    }
    const res = await http(s.server, 'GET', `${base()}/visitors/${visitorId()}/export`, {
      cookie: s.admin.cookie,
    });
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(res.body).toMatchObject({
      format: 'parley-visitor-export',
      visitor: { email: 'erin@example.com', phone: null },
    });
    expect(res.body.archives).toHaveLength(1);
    // The phone was given in the first conversation and moved to the archive with it.
    expect(res.body.archives[0].profile).toMatchObject({
      phone: '+1 415 555 0100',
      custom: { city: 'Oslo' },
    });
    expect(res.body.conversations).toHaveLength(1);

    const db = s.server.db.db;
    const vault = s.server.app.vault;
    const key = await vault.forVisitor(db, s.admin.workspaceId, visitorId());
    const conversations = [live.conversationId];
    const missing: string[] = [];
    for (const t of await listTables(db, dialect)) {
      const tie = ABOUT_VISITOR[t.name];
      if (!tie) {
        if (t.columns.includes('visitor_id') && !VISITOR_ID_ELSEWHERE.has(t.name))
          missing.push(`table ${t.name} has a visitor_id but the export test does not know it`);
        continue;
      }
      const [col, ids] = tie({ visitor: visitorId(), conversations });
      const rows = await db
        .selectFrom(t.name as never)
        .selectAll()
        .where(col as never, 'in', ids as never)
        .execute();
      expect(rows.length, t.name).toBeGreaterThan(0);
      for (const row of rows as Array<Record<string, unknown>>) {
        for (const [column, value] of Object.entries(row)) {
          if (value === null || NOT_EXPORTED.has(`${t.name}.${column}`) || column === 'workspace_id')
            continue;
          let plain: unknown = value;
          if (typeof value === 'string' && value.startsWith('e1:')) {
            plain = key.open(t.name, column, String(row[SEALED_ROW_ID[t.name] ?? 'id']), value);
          }
          for (const leaf of leaves(plain)) {
            const found =
              typeof leaf === 'number'
                ? text.includes(String(leaf))
                : text.includes(JSON.stringify(leaf).slice(1, -1));
            if (!found) missing.push(`${t.name}.${column}: ${String(leaf).slice(0, 40)}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('erases the visitor: key and rows gone, archives included, sockets closed, nothing decrypts; ids-only record', async () => {
    const db = s.server.db.db;
    const wrapped = (
      await db
        .selectFrom('data_keys')
        .select('wrapped')
        .where('id', '=', visitorId())
        .executeTakeFirstOrThrow()
    ).wrapped;
    const sealed = [
      ...(
        await db
          .selectFrom('messages')
          .select('body')
          .where('conversation_id', '=', live.conversationId)
          .execute()
      ).map((r) => r.body),
      ...(
        await db
          .selectFrom('conversation_archives')
          .select('payload')
          .where('visitor_id', '=', visitorId())
          .execute()
      ).map((r) => r.payload),
    ];
    expect(sealed.length).toBeGreaterThanOrEqual(3);
    const socket: Probe = await connectVisitor(s.server, live.credential);

    for (const who of [operator, supervisor]) {
      expect(
        (
          await http(s.server, 'DELETE', `${base()}/visitors/${visitorId()}`, {
            cookie: who.cookie,
            body: {},
          })
        ).status,
      ).toBe(403);
    }
    const res = await http(s.server, 'DELETE', `${base()}/visitors/${visitorId()}`, {
      cookie: s.admin.cookie,
      body: {},
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ visitorId: visitorId(), id: expect.any(String) });
    await socket.until((p) => p.closed !== null, 'socket closed');
    expect(socket.closed?.code).toBe(4001);

    expect(
      (await http(s.server, 'GET', `${base()}/visitors/${visitorId()}`, { cookie: s.admin.cookie })).status,
    ).toBe(404);
    expect(
      (
        await http(s.server, 'DELETE', `${base()}/visitors/${visitorId()}`, {
          cookie: s.admin.cookie,
          body: {},
        })
      ).status,
    ).toBe(404);
    expect(
      (await http(s.server, 'GET', `${base()}/archives`, { cookie: s.admin.cookie })).body.items,
    ).toEqual([]);
    const resumed = await http(s.server, 'POST', '/api/v1/visitor/sessions', {
      body: { widgetId: s.widget.id, hostOrigin: s.widget.allowedOrigins[0], credential: live.credential },
    });
    expect(resumed.status).toBe(401);
    expect(await s.server.app.vault.forConversation(db, live.conversationId)).toBeNull();

    // Not in any row, and (SQLite) not in any byte of the file: no key, so no ciphertext copy decrypts.
    expect(await rawOccurrences(s.database, [wrapped, ...sealed.map((c) => c.slice(3, 60))])).toEqual([]);
    const erasures = await db.selectFrom('erasures').selectAll().execute();
    expect(erasures).toEqual([
      {
        id: res.body.id,
        workspace_id: s.admin.workspaceId,
        visitor_id: visitorId(),
        erased_at: res.body.erasedAt,
        actor_user_id: s.admin.me.user.id,
        via: 'dashboard',
      },
    ]);
    expect(
      await rawOccurrences(s.database, ['erin@example.com', 'Erin Example', 'soon archived', 'still live']),
    ).toEqual([]);
  });
});
