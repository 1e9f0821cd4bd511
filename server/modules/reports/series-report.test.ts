import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectVisitor,
  http,
  type Probe,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { clock } from '../../platform/clock.js';

/**
 * The report over time from real conversations: one the bot answers, one handed to a person,
 * answered, resolved and rated, one handed off and abandoned. The series, the breakdowns, the busiest
 * hours and the CSV must all come out of those recorded facts.
 */
describe.each(DIALECTS)('service report over time (%s)', (dialect) => {
  let s: Scenario;
  let op: TestAgent;
  const realNow = clock.now;
  let now = 0;
  const at = (seconds: number) => {
    clock.now = () => now + seconds * 1000;
  };
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  let started = 0;
  let labelId = '';

  beforeAll(async () => {
    started = Date.now();
    s = await startScenario(dialect);
    op = await addAgent(s.server, s.admin.workspaceId, 'operator', 'olga@example.com');
    await http(s.server, 'POST', `${base()}/knowledge/articles`, {
      cookie: s.admin.cookie,
      body: {
        title: 'Shipping costs',
        body: 'Shipping is free on orders over €50.',
        questions: ['How much is shipping?'],
      },
    });
    await http(s.server, 'POST', `${base()}/resolution-codes`, {
      cookie: s.admin.cookie,
      body: { code: 'answered', label: 'Answered' },
    });
    // A label someone named like a spreadsheet formula: the CSV must not let it run.
    const label = await http(s.server, 'POST', `${base()}/labels`, {
      cookie: s.admin.cookie,
      body: { name: '=HYPERLINK("http://evil.example")', colour: '#cc0000' },
    });
    expect(label.status).toBe(201);
    labelId = label.body.id;
    now = Date.now();
  });
  afterEach(() => {
    clock.now = realNow;
  });
  afterAll(async () => {
    clock.now = realNow;
    await s?.close();
  });

  async function visitorSays(conversationId: string, credential: string, body: string) {
    const v = await connectVisitor(s.server, credential);
    v.send({ type: 'subscribe', conversationId, afterSeq: 0 });
    await v.next('subscribed');
    v.sendMessage(conversationId, body);
    await v.until(
      (p: Probe) => p.of('message.new').filter((f) => f.message.author.kind === 'bot').length >= 2,
      'the bot’s turn',
    );
    v.close();
  }

  it('reports the series, breakdowns, busiest hours and the previous period; the CSV is defused', async () => {
    at(0);
    await visitorSays(s.visitor.conversationId, s.visitor.credential, 'How much is shipping?');
    const second = await startVisitor(s.server, s.widget);
    await visitorSays(second.conversationId, second.credential, 'I want to talk to a human');
    const [query] = (await http(s.server, 'GET', `${base()}/queries?view=queue`, { cookie: op.cookie })).body
      .items;
    at(60);
    expect(
      (await http(s.server, 'POST', `${base()}/queries/${query.id}/pick`, { cookie: op.cookie, body: {} }))
        .status,
    ).toBe(200);
    at(90);
    await http(s.server, 'POST', `${base()}/conversations/${second.conversationId}/messages`, {
      cookie: op.cookie,
      body: { clientId: 'series-reply-0000001', body: 'Hello, I am here.' },
    });
    at(600);
    expect(
      (
        await http(s.server, 'POST', `${base()}/queries/${query.id}/resolve`, {
          cookie: op.cookie,
          body: { code: 'answered' },
        })
      ).status,
    ).toBe(200);
    await http(s.server, 'POST', `/api/v1/visitor/conversations/${second.conversationId}/rating`, {
      headers: { authorization: `Bearer ${second.credential}` },
      body: { score: 4 },
    });
    expect(
      (
        await http(s.server, 'PUT', `${base()}/conversations/${second.conversationId}/labels/${labelId}`, {
          cookie: op.cookie,
          body: {},
        })
      ).status,
    ).toBeLessThan(300);
    at(700);
    const third = await startVisitor(s.server, s.widget);
    await visitorSays(third.conversationId, third.credential, 'agent please');
    at(800);
    expect(
      (
        await http(s.server, 'PATCH', `${base()}/conversations/${third.conversationId}`, {
          cookie: s.admin.cookie,
          body: { status: 'closed' },
        })
      ).status,
    ).toBe(204);
    clock.now = realNow;

    // Whole hours around the scenario, so the hourly series has a known length.
    const from = new Date(Math.floor((started - 3_600_000) / 3_600_000) * 3_600_000).toISOString();
    const to = new Date(Math.ceil((now + 7_200_000) / 3_600_000) * 3_600_000).toISOString();
    const hours = (Date.parse(to) - Date.parse(from)) / 3_600_000;
    const url = `${base()}/reports/service/series?from=${from}&to=${to}&bucket=hour&tz=Asia/Kolkata`;
    const res = await http(s.server, 'GET', url, { cookie: s.admin.cookie });
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r.from).toBe(from);
    expect(r.summary).toMatchObject({ conversations: 3, handedOff: 2, queries: 2, resolved: 1, ratings: 1 });
    expect(r.previous).toMatchObject({ to: from, report: { conversations: 0, queries: 0 } });
    expect(Date.parse(r.previous.to) - Date.parse(r.previous.from)).toBe(Date.parse(to) - Date.parse(from));
    // Kolkata is UTC+05:30: a whole UTC hour spans two local hours, so one bucket more than hours.
    expect(r.series).toHaveLength(hours + 1);
    expect(r.series[0].key).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00$/);
    expect(r.series[0].start).toBe(from);
    const sum = (k: 'conversations' | 'handedOff' | 'queries' | 'ratings') =>
      r.series.reduce((a: number, p: Record<string, number>) => a + (p[k] ?? 0), 0);
    expect([sum('conversations'), sum('handedOff'), sum('queries'), sum('ratings')]).toEqual([3, 2, 2, 1]);
    const rated = r.series.find((p: { ratings: number }) => p.ratings === 1);
    expect(rated).toMatchObject({
      averageRating: 4,
      medianFirstResponseSeconds: 90,
      medianHandleSeconds: 540,
    });
    expect(r.busiestHours).toHaveLength(7);
    expect(r.busiestHours.flat().reduce((a: number, b: number) => a + b, 0)).toBe(3);
    // Busiest hours are in the viewer's zone: the hour the first conversation started, read in Kolkata.
    const first = new Date(now + 19_800_000);
    expect(r.busiestHours[(first.getUTCDay() + 6) % 7]?.[first.getUTCHours()]).toBeGreaterThanOrEqual(1);

    const { agents, teams, widgets, channels, labels } = r.breakdowns;
    expect(agents).toEqual([
      expect.objectContaining({
        id: op.me.user.id,
        conversations: 1,
        queries: 1,
        resolved: 1,
        averageRating: 4,
      }),
    ]);
    expect(teams).toEqual([]);
    expect(widgets).toEqual([
      expect.objectContaining({ id: s.widget.id, conversations: 3, queries: 2, resolved: 1, abandoned: 1 }),
    ]);
    expect(channels).toEqual([expect.objectContaining({ id: 'web', conversations: 3 })]);
    expect(labels).toEqual([
      expect.objectContaining({ id: labelId, name: '=HYPERLINK("http://evil.example")', conversations: 1 }),
    ]);
    // Nothing about a visitor: no visitor ids, names or conversation ids anywhere in the report.
    const text = JSON.stringify(r);
    for (const v of [s.visitor, second, third]) expect(text).not.toContain(v.conversationId);
    expect(text).not.toMatch(/Visitor [0-9a-f]{4}/);

    const csv = await http(s.server, 'GET', url.replace('/series?', '/series.csv?'), {
      cookie: s.admin.cookie,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="service-report-.*\.csv"$/);
    const lines = String(csv.body).trim().split('\r\n');
    expect(lines[0]).toBe(
      'section,key,name,conversations,handed_off,bot_containment_rate,queries,resolved,abandoned,median_first_response_seconds,median_handle_seconds,average_rating,ratings,calls_offered,calls_answered,calls_declined,calls_missed,call_talk_seconds',
    );
    expect(lines).toContain(`label,${labelId},"'=HYPERLINK(""http://evil.example"")",1,,,1,1,0,90,540,4,1`);
    expect(lines.filter((l) => l.startsWith('series_hour,'))).toHaveLength(hours + 1);
    expect(lines.filter((l) => l.startsWith('hour_of_week,'))).toHaveLength(168);
  });

  it('validates the period, the bucket and the time zone, and keeps reports from operators', async () => {
    const get = (query: string, cookie = s.admin.cookie) =>
      http(s.server, 'GET', `${base()}/reports/service/series?${query}`, { cookie });
    for (const bad of [
      'bucket=minute',
      'tz=Mars/Olympus_Mons',
      'tz=%3Cscript%3E',
      'tz=%2B25:00',
      'from=2026-02-01&to=2026-01-01',
      'from=2026-01-01&to=2026-02-01&bucket=hour',
      'from=2020-01-01&to=2026-01-01&bucket=week',
      'from=yesterday',
      'extra=1',
    ]) {
      const res = await get(bad);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toBe('invalid_request');
    }
    expect((await get('tz=-05:00&bucket=week')).status).toBe(200);
    const days = await get('from=2026-01-01&to=2026-01-08&tz=Europe/Berlin');
    expect(days.status).toBe(200);
    expect(days.body.series.map((p: { key: string }) => p.key)).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-01-04',
      '2026-01-05',
      '2026-01-06',
      '2026-01-07',
      '2026-01-08',
    ]);
    expect(days.body.series[1].start).toBe('2026-01-01T23:00:00.000Z');
    expect((await get('', op.cookie)).status).toBe(403);
    expect(
      (await http(s.server, 'GET', `${base()}/reports/service/series.csv`, { cookie: op.cookie })).status,
    ).toBe(403);
  });
});
