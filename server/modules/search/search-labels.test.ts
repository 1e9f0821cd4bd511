import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitorSession } from '../../../protocol/api.js';
import {
  addAgent,
  connectVisitor,
  http,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { rawOccurrences } from '../../../test/support/raw-data.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { truncateWal } from '../../platform/db/wal-checkpoints.js';
import { backfillSearchIndex } from './backfill-search-index.js';
import {
  countIndexedMessages,
  dropFromIndex,
  messagesWithWord,
  termCountsOf,
  termsRemain,
} from './search-index.repository.js';
import { TermHasher } from './term-hasher.js';

/**
 * Search and labels through the real HTTP API on both databases: what each role finds (scope and
 * masking exactly as the conversation list), labels and their limits, the report by label, and the
 * index on disk: keyed hashes only, gone with the visitor.
 */
describe.each(DIALECTS)('search and labels (%s)', (dialect) => {
  let s: Scenario;
  let ana: TestAgent;
  let ben: TestAgent;
  let other: VisitorSession;
  const ws = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const search = async (who: TestAgent, query: Record<string, string>) => {
    const res = await http(s.server, 'GET', `${ws()}/search/conversations?${new URLSearchParams(query)}`, {
      cookie: who.cookie,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as Array<{ id: string; visitor: { name: string }; lastMessagePreview: string }>;
  };
  const ids = async (who: TestAgent, query: Record<string, string>) =>
    (await search(who, query)).map((c) => c.id);
  const say = async (visitor: VisitorSession, text: string) => {
    const v = await connectVisitor(s.server, visitor.credential);
    v.sendMessage(visitor.conversationId, text);
    await v.next('message.ack');
    v.close();
  };
  const hasher = async () =>
    new TermHasher(await s.server.app.vault.searchKey(s.server.db.db, s.admin.workspaceId));

  beforeAll(async () => {
    s = await startScenario(dialect);
    ana = await addAgent(s.server, s.admin.workspaceId, 'operator', 'ana@example.com');
    ben = await addAgent(s.server, s.admin.workspaceId, 'operator', 'ben@example.com');
    await say(s.visitor, 'Do you sell Kayaks? Write to jane.doe@example.com please');
    const profile = await http(s.server, 'PATCH', `${ws()}/visitors/${s.visitor.visitor.id}`, {
      cookie: s.admin.cookie,
      body: { name: 'Jane Müller', email: 'jane.doe@example.com' },
    });
    expect(profile.status, JSON.stringify(profile.body)).toBe(200);
    other = await startVisitor(s.server, s.widget);
    await say(other, 'Where is my order? It is late.');
  });
  afterAll(async () => s?.close());

  it('finds a conversation by a word of a message, whatever its case and accents', async () => {
    expect(await ids(s.admin, { q: 'kayaks' })).toEqual([s.visitor.conversationId]);
    expect(await ids(s.admin, { q: 'KAYAKS sell' })).toEqual([s.visitor.conversationId]);
    expect(await ids(s.admin, { q: 'kayaks order' })).toEqual([]);
    expect(await ids(s.admin, { q: 'order' })).toEqual([other.conversationId]);
    expect((await ids(s.admin, {})).sort()).toEqual([s.visitor.conversationId, other.conversationId].sort());
    // Only one-letter words: nothing to look for, so nothing found (not everything).
    expect(await ids(s.admin, { q: 'a I' })).toEqual([]);
  });

  it('finds a conversation by the beginning of a word, from three characters, with bounded index rows', async () => {
    expect(await ids(s.admin, { q: 'kaya' })).toEqual([s.visitor.conversationId]);
    expect(await ids(s.admin, { q: 'SEL kay' })).toEqual([s.visitor.conversationId]);
    expect(await ids(s.admin, { q: 'ord' })).toEqual([other.conversationId]);
    // Two characters find whole words only; a word's end is no beginning.
    expect(await ids(s.admin, { q: 'or' })).toEqual([]);
    expect(await ids(s.admin, { q: 'ayak' })).toEqual([]);
    // Operators see the email masked: its beginnings find nothing for them (checked below too).
    expect(await ids(s.admin, { q: 'exam' })).toEqual([s.visitor.conversationId]);
    expect(await ids(ana, { q: 'exam' })).toEqual([]);
    // A long message: its rows stay within the bound (300 words, 600 beginnings).
    const long = Array.from({ length: 400 }, (_, i) => `refund${i.toString(36)}xyzzy`).join(' ');
    await say(other, long.slice(0, 4000));
    const counts = () => termCountsOf(s.server.db.db, other.conversationId);
    await expect.poll(async () => Math.max(0, ...(await counts()))).toBeGreaterThan(300);
    for (const n of await counts()) expect(n).toBeLessThanOrEqual(900);
    expect(await ids(s.admin, { q: 'refun' })).toEqual([other.conversationId]);
  });

  it('finds a visitor by name (folded, and by its beginning) and by email, for roles that see personal data', async () => {
    for (const q of ['müller', 'MULLER', 'jan', 'jane.doe@example.com', 'Jane.Doe@Example.com'])
      expect(await ids(s.admin, { q }), q).toEqual([s.visitor.conversationId]);
  });

  it('never lets a role without personal data find a conversation by what it would see masked', async () => {
    // The conversation is queued for everyone: both operators see it in their list...
    expect(await ids(ana, { q: 'kayaks' })).toEqual([s.visitor.conversationId]);
    const [row] = await search(ana, { q: 'kayaks' });
    expect(row?.visitor.name).toBe('J••• M•••');
    expect(row?.lastMessagePreview).not.toContain('jane.doe');
    // ...but not by the visitor's name or email, nor by the words of an email inside a message.
    for (const q of ['müller', 'jane', 'jane.doe@example.com', 'doe', 'example'])
      expect(await ids(ana, { q }), q).toEqual([]);
  });

  it('confines results like the conversation list: a conversation taken by Ana leaves Ben’s results', async () => {
    const queue = await http(s.server, 'GET', `${ws()}/queries?view=queue`, { cookie: ana.cookie });
    const query = queue.body.items.find(
      (q: { conversationId: string }) => q.conversationId === s.visitor.conversationId,
    );
    const picked = await http(s.server, 'POST', `${ws()}/queries/${query.id}/pick`, {
      cookie: ana.cookie,
      body: {},
    });
    expect(picked.status).toBe(200);
    expect(await ids(ana, { q: 'kayaks' })).toEqual([s.visitor.conversationId]);
    expect(await ids(ben, { q: 'kayaks' })).toEqual([]);
    expect(await ids(ana, { assignee: ana.me.user.id })).toEqual([s.visitor.conversationId]);
    expect(await ids(s.admin, { assignee: 'none' })).toEqual([other.conversationId]);
  });

  it('filters by status, widget and date', async () => {
    expect((await ids(s.admin, { status: 'open' })).length).toBe(2);
    expect(await ids(s.admin, { status: 'closed' })).toEqual([]);
    expect(await ids(s.admin, { status: 'snoozed' })).toEqual([]);
    expect((await ids(s.admin, { widgetId: s.widget.id })).length).toBe(2);
    expect(await ids(s.admin, { to: '2001-01-01' })).toEqual([]);
    expect((await ids(s.admin, { from: '2001-01-01' })).length).toBe(2);
    const bad = await http(s.server, 'GET', `${ws()}/search/conversations?status=lost`, {
      cookie: s.admin.cookie,
    });
    expect(bad.status).toBe(400);
    const long = await http(s.server, 'GET', `${ws()}/search/conversations?q=${'a'.repeat(201)}`, {
      cookie: s.admin.cookie,
    });
    expect(long.status).toBe(400);
  });

  it('lets administrators manage labels (validated, unique, audited) and agents label what they may see', async () => {
    const create = (who: TestAgent, body: unknown) =>
      http(s.server, 'POST', `${ws()}/labels`, { cookie: who.cookie, body });
    const billing = await create(s.admin, { name: ' Billing ', colour: '#FF0000' });
    expect(billing.status).toBe(201);
    expect(billing.body).toMatchObject({ name: 'Billing', colour: '#ff0000' });
    expect((await create(s.admin, { name: 'BILLING', colour: '#00ff00' })).body.error.code).toBe(
      'label_name_taken',
    );
    expect((await create(s.admin, { name: 'x', colour: 'red' })).status).toBe(400);
    expect((await create(s.admin, { name: '   ', colour: '#000000' })).status).toBe(400);
    expect((await create(ana, { name: 'Mine', colour: '#000000' })).status).toBe(403);
    const renamed = await http(s.server, 'PUT', `${ws()}/labels/${billing.body.id}`, {
      cookie: s.admin.cookie,
      body: { name: 'Billing & refunds', colour: '#aa0000' },
    });
    expect(renamed.body).toMatchObject({ name: 'Billing & refunds', colour: '#aa0000' });
    const audit = await http(s.server, 'GET', `${ws()}/audit`, { cookie: s.admin.cookie });
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['label.created', 'label.updated']));

    const label = (who: TestAgent, conversationId: string, method: 'PUT' | 'DELETE') =>
      http(s.server, method, `${ws()}/conversations/${conversationId}/labels/${billing.body.id}`, {
        cookie: who.cookie,
        body: {},
      });
    expect((await label(ana, s.visitor.conversationId, 'PUT')).status).toBe(204);
    expect((await label(ana, s.visitor.conversationId, 'PUT')).status).toBe(204);
    // Ben's scope does not reach Ana's conversation: for a write as for a read, it does not exist.
    const refused = await label(ben, s.visitor.conversationId, 'PUT');
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('conversation_not_found');
    expect(await ids(s.admin, { labelId: billing.body.id })).toEqual([s.visitor.conversationId]);
    expect(await ids(ben, { labelId: billing.body.id })).toEqual([]);
    const lookup = (who: TestAgent) =>
      http(
        s.server,
        'GET',
        `${ws()}/conversation-labels?ids=${s.visitor.conversationId},${other.conversationId}`,
        {
          cookie: who.cookie,
        },
      );
    expect((await lookup(ana)).body.items).toEqual([
      { conversationId: s.visitor.conversationId, labelIds: [billing.body.id] },
      { conversationId: other.conversationId, labelIds: [] },
    ]);
    expect((await lookup(ben)).body.items).toEqual([{ conversationId: other.conversationId, labelIds: [] }]);

    const report = await http(s.server, 'GET', `${ws()}/reports/service/by-label`, {
      cookie: s.admin.cookie,
    });
    expect(report.status).toBe(200);
    expect(report.body.groups).toHaveLength(1);
    expect(report.body.groups[0]).toMatchObject({
      label: { id: billing.body.id },
      report: { conversations: 1 },
    });

    expect((await label(ana, s.visitor.conversationId, 'DELETE')).status).toBe(204);
    expect(await ids(s.admin, { labelId: billing.body.id })).toEqual([]);
    expect(
      (
        await http(s.server, 'DELETE', `${ws()}/labels/${billing.body.id}`, {
          cookie: s.admin.cookie,
          body: {},
        })
      ).status,
    ).toBe(204);
    expect((await http(s.server, 'GET', `${ws()}/labels`, { cookie: ana.cookie })).body.items).toEqual([]);
  });

  it('keeps a limit on labels per workspace', async () => {
    for (let i = 0; i < 100; i += 1) {
      const res = await http(s.server, 'POST', `${ws()}/labels`, {
        cookie: s.admin.cookie,
        body: { name: `Label ${i}`, colour: '#123456' },
      });
      expect(res.status).toBe(201);
    }
    const over = await http(s.server, 'POST', `${ws()}/labels`, {
      cookie: s.admin.cookie,
      body: { name: 'One too many', colour: '#123456' },
    });
    expect(over.body.error.code).toBe('label_limit_reached');
  });

  it('backfills an index that lost its rows, once, in bounded batches', async () => {
    await dropFromIndex(s.server.db.db);
    await s.server.db.db.deleteFrom('search_visitor_terms').execute();
    expect(await ids(s.admin, { q: 'kayaks' })).toEqual([]);
    const first = await backfillSearchIndex({ db: s.server.db.db, vault: s.server.app.vault, batchSize: 1 });
    expect(first.profiles).toBe(1);
    expect(first.messages).toBeGreaterThanOrEqual(2);
    const indexed = await countIndexedMessages(s.server.db.db);
    const hasher = new TermHasher(await s.server.app.vault.searchKey(s.server.db.db, s.admin.workspaceId));
    const kayaks = (await messagesWithWord(s.server.db.db, hasher.word('kayaks'))).sort();
    expect(kayaks.length).toBeGreaterThan(0);
    await backfillSearchIndex({ db: s.server.db.db, vault: s.server.app.vault });
    expect(await countIndexedMessages(s.server.db.db)).toBe(indexed);
    expect((await messagesWithWord(s.server.db.db, hasher.word('kayaks'))).sort()).toEqual(kayaks);
    expect(await ids(s.admin, { q: 'kayaks' })).toEqual([s.visitor.conversationId]);
    // The rebuilt index holds the words' beginnings too (`parley search reindex` runs this).
    expect(await ids(s.admin, { q: 'kaya' })).toEqual([s.visitor.conversationId]);
    expect(await ids(s.admin, { q: 'muller' })).toEqual([s.visitor.conversationId]);
  });

  it('stores keyed hashes only, and erasure leaves no byte of them (raw database)', async () => {
    const h = await hasher();
    const words = ['kayaks', 'jane.doe@example.com', 'muller'];
    // Words, a name's beginning, and a message word's beginning ("kaya" of "kayaks").
    const hashes = [
      h.word('kayaks'),
      h.word('jane.doe@example.com'),
      h.word('muller'),
      h.prefix('jan'),
      h.prefix('kaya'),
    ];
    if (dialect === 'sqlite') await truncateWal(s.server.db.db);
    // A message's terms are tokens, the hash in hex (fts-token.ts): on SQLite in FTS5's index
    // (prefix-compressed in its pages), so they are looked for in FTS5's own term list; on PostgreSQL
    // in search_term_sets' rows. The visitor's name and email terms are rows of hashes on both.
    const inMessagesOnly = [h.word('kayaks'), h.prefix('kaya')];
    const hex = (hash: string) => Buffer.from(hash, 'base64url').toString('hex');
    const profileRows = hashes.filter((x) => !inMessagesOnly.includes(x));
    const rows = dialect === 'sqlite' ? profileRows : [...profileRows, ...inMessagesOnly.map(hex)];
    expect(await termsRemain(s.server.db.db, inMessagesOnly)).toBe(true);
    // The hashes are there (the check can fail), the words are not.
    expect((await rawOccurrences(s.database, rows)).sort()).toEqual([...rows].sort());
    expect(await rawOccurrences(s.database, ['Kayaks', 'kayaks', 'Müller', 'muller'])).toEqual([]);
    const erased = await http(s.server, 'DELETE', `${ws()}/visitors/${s.visitor.visitor.id}`, {
      cookie: s.admin.cookie,
      body: {},
    });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(await rawOccurrences(s.database, [...hashes, ...rows, ...words])).toEqual([]);
    expect(await termsRemain(s.server.db.db, hashes)).toBe(false);
    expect(await ids(s.admin, { q: 'kayaks' })).toEqual([]);
    // The other visitor's entries stay.
    expect(await ids(s.admin, { q: 'order' })).toEqual([other.conversationId]);
  });
});
