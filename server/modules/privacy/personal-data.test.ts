import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RetentionBody } from '../../../protocol/data-protection.js';
import { http } from '../../../test/support/clients.js';
import { type Copy, readCopies, rowsOf, visitorIds } from '../../../test/support/personal-copies.js';
import { rawOccurrences } from '../../../test/support/raw-data.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  type Journey,
  type JourneyStaff,
  prepareStaff,
  runJourney,
} from '../../../test/support/visitor-journey.js';
import { dialectOf } from '../../platform/db/dialect.js';
import { type RetentionRuleName, ruleDeletes } from '../retention/retention-policy.js';
import { runRetention } from '../retention/run-retention.js';
import { DATA_CLASSIFICATION } from './data-classification.js';

const H = 3_600_000;

/**
 * Every column the classification says is about a visitor, for a visitor who used everything
 * (verified identity, profile, pages, a flow with an email step and a checkpoint, a handoff that was
 * transferred, resolved with a note and rated with a comment, an archived conversation): the export
 * holds it, erasure leaves no row and no byte of it, and each retention rule deletes exactly the kinds
 * of data `retention-policy.ts` says it does, wherever a copy sits, and keeps the rest. The loops run
 * over the classification, so a newly classified column is covered by itself.
 */
describe.each(DIALECTS)('every copy of a visitor’s data is governed (%s)', (dialect) => {
  let s: Scenario;
  let staff: JourneyStaff;
  const db = () => s.server.db.db;
  const ws = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const keyOf = (j: Journey) => s.server.app.vault.forVisitor(db(), s.admin.workspaceId, j.visitorId);
  const copiesOf = async (j: Journey) => {
    const ids = await visitorIds(db(), j.visitorId);
    return { ids, copies: await readCopies(db(), await keyOf(j), ids) };
  };
  const rules = async (j: Journey, body: Partial<RetentionBody>) => {
    const res = await http(s.server, 'PUT', `${ws()}/widgets/${j.widget.id}/retention`, {
      cookie: s.admin.cookie,
      body: {
        visitorDataTtlSeconds: null,
        historyHours: null,
        inactivityDays: 90,
        archiveInactive: true,
        storageOff: false,
        ...body,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const run = (offsetMs: number) =>
    runRetention({
      db: db(),
      vault: s.server.app.vault,
      now: new Date(Date.now() + offsetMs),
      batchSize: 2,
      node: 'test',
    });
  const close = async (j: Journey) => {
    const res = await http(s.server, 'PATCH', `${ws()}/conversations/${j.conversationId}`, {
      cookie: s.admin.cookie,
      body: { status: 'closed' },
    });
    expect(res.status).toBe(204);
  };

  /** The journey wrote into every personal column (each part of a sealed document too), or a check would prove nothing. */
  const expectEveryColumnWritten = (copies: Map<string, Copy>) => {
    const empty = [...copies.values()]
      .filter((c) => c.kind !== 'record' && !c.composite && c.values.length === 0)
      .map((c) => c.name);
    expect(empty, 'the journey in test/support/visitor-journey.ts must write these').toEqual([]);
  };

  /** What the rule deletes (by kind and place) holds nothing any more; everything else holds what it held. */
  const expectRule = (rule: RetentionRuleName, before: Map<string, Copy>, after: Map<string, Copy>) => {
    const problems: string[] = [];
    for (const b of before.values()) {
      if (b.kind === 'record' || b.composite) continue;
      const now = after.get(b.name)?.values ?? [];
      if (ruleDeletes(rule, b.kind, b.place)) {
        if (now.length > 0) problems.push(`${b.name} still holds ${now.slice(0, 3).join(' | ')}`);
      } else {
        const lost = b.values.filter((v) => !now.includes(v));
        if (lost.length > 0) problems.push(`${b.name} lost ${lost.slice(0, 3).join(' | ')}`);
      }
    }
    expect(problems).toEqual([]);
  };

  const expectKept = (before: Map<string, Copy>, after: Map<string, Copy>) => {
    const lost = [...before.values()]
      .filter((b) => b.kind !== 'record' && !b.composite)
      .filter((b) => b.values.some((v) => !(after.get(b.name)?.values ?? []).includes(v)))
      .map((b) => b.name);
    expect(lost).toEqual([]);
  };

  beforeEach(async () => {
    s = await startScenario(dialect);
    staff = await prepareStaff(s);
  });
  afterEach(async () => s?.close());

  it('the export holds every personal column, opened', async () => {
    const j = await runJourney(s, staff);
    const { copies } = await copiesOf(j);
    expectEveryColumnWritten(copies);
    const res = await http(s.server, 'GET', `${ws()}/visitors/${j.visitorId}/export`, {
      cookie: s.admin.cookie,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      version: 2,
      verifiedUserId: j.userId,
      lead: { email: `${j.tag}@example.com` },
    });
    const conversation = res.body.conversations.find((c: { id: string }) => c.id === j.conversationId);
    expect(conversation).toMatchObject({
      pageUrl: expect.stringContaining(j.tag),
      queries: [
        {
          origin: { trigger: 'flow', pageUrl: expect.stringContaining(j.tag) },
          resolution: { code: 'solved', note: `resolution ${j.tag}` },
          rating: { score: 4, comment: `comment ${j.tag}` },
        },
      ],
      flow: { checkpoints: [{ name: 'email_known', data: { email: `${j.tag}@example.com` } }] },
    });
    const text = JSON.stringify(res.body);
    const missing: string[] = [];
    for (const c of copies.values()) {
      if (!c.exported) continue;
      for (const v of c.values)
        if (!text.includes(JSON.stringify(v).slice(1, -1))) missing.push(`${c.name}: ${v.slice(0, 40)}`);
    }
    expect(missing).toEqual([]);
  });

  it('erasure leaves no row tied to the visitor and no byte of what they wrote, nor of its ciphertext', async () => {
    const j = await runJourney(s, staff);
    const { ids, copies } = await copiesOf(j);
    expectEveryColumnWritten(copies);
    const wrapped = await db()
      .selectFrom('data_keys')
      .select('wrapped')
      .where('id', '=', j.visitorId)
      .executeTakeFirstOrThrow();
    const needles = new Set<string>([wrapped.wrapped]);
    for (const c of copies.values()) {
      for (const v of c.values) if (v.includes(j.tag)) needles.add(v);
      if (c.kind !== 'record')
        for (const stored of c.stored) needles.add(c.sealed ? stored.slice(3, 60) : stored);
    }
    expect(needles.size).toBeGreaterThan(30);
    expect(await rawOccurrences(s.database, [...needles])).not.toEqual([]);

    const res = await http(s.server, 'DELETE', `${ws()}/visitors/${j.visitorId}`, {
      cookie: s.admin.cookie,
      body: {},
    });
    expect(res.status).toBe(200);
    const left: string[] = [];
    for (const [table, t] of Object.entries(DATA_CLASSIFICATION)) {
      if (!t.reach || (t.only && t.only !== dialectOf(db()))) continue;
      const rows = await rowsOf(db(), table, t.reach, ids);
      if (rows.length > 0) left.push(`${table}: ${rows.length}`);
    }
    expect(left).toEqual([]);
    expect(await rawOccurrences(s.database, [...needles])).toEqual([]);
  });

  it('the visitor data TTL deletes the identity and visitor data, archived and checkpoint copies too, and nothing else', async () => {
    const j = await runJourney(s, staff);
    await rules(j, { visitorDataTtlSeconds: 60 });
    const { ids, copies: before } = await copiesOf(j);
    expectEveryColumnWritten(before);
    await run(61_000);
    expectRule('visitorDataTtl', before, await readCopies(db(), await keyOf(j), ids));
    expect((await run(61_000)).totals).toMatchObject({
      visitorDataDeleted: 0,
      fieldsCleared: 0,
      archivesPruned: 0,
    });

    // With the identity gone, the old credential opens nothing, and the site's next start is a new visitor.
    const resumed = await http(s.server, 'POST', '/api/v1/visitor/sessions', {
      body: { widgetId: j.widget.id, hostOrigin: j.widget.allowedOrigins[0], credential: j.credential },
    });
    expect(resumed.status).toBe(401);
  });

  it('history deletion deletes what was said and where, archived copies too, and nothing else', async () => {
    const j = await runJourney(s, staff);
    await rules(j, { historyHours: 24 });
    const { ids, copies: before } = await copiesOf(j);
    expectEveryColumnWritten(before);
    expect((await run(23 * H)).totals).toMatchObject({
      messagesDeleted: 0,
      notesDeleted: 0,
      fieldsCleared: 0,
    });
    expectKept(before, await readCopies(db(), await keyOf(j), ids));
    const r = await run(25 * H);
    expect(r.totals.notesDeleted).toBe(2);
    expectRule('historyDeletion', before, await readCopies(db(), await keyOf(j), ids));
    expect((await run(25 * H)).totals).toMatchObject({
      messagesDeleted: 0,
      notesDeleted: 0,
      fieldsCleared: 0,
      archivesPruned: 0,
    });
  });

  it('storage off keeps nothing of a closed conversation, nor, once none is open, the visitor data', async () => {
    // Storage off when the conversation closes: gone at once.
    const j = await runJourney(s, staff);
    await rules(j, { storageOff: true });
    const { ids, copies: before } = await copiesOf(j);
    expectEveryColumnWritten(before);
    await close(j);
    expectRule('storageOff', before, await readCopies(db(), await keyOf(j), ids));

    // Storage off turned on after the conversation closed: the scheduler's sweep does the same.
    const k = await runJourney(s, staff);
    await close(k);
    const late = await copiesOf(k);
    expectEveryColumnWritten(late.copies);
    await rules(k, { storageOff: true });
    await run(0);
    expectRule('storageOff', late.copies, await readCopies(db(), await keyOf(k), late.ids));
    expect((await run(0)).totals).toMatchObject({ closedConversationsPurged: 0, fieldsCleared: 0 });
  });
});
