import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../protocol/common.js';
import type { BusinessHours } from '../../../protocol/flows.js';
import {
  addAgent,
  connectAgent,
  connectVisitor,
  http,
  login,
  type Probe,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { clock } from '../../platform/clock.js';
import { assignWaitingQueries } from '../handoff/assign-waiting-queries.js';
import { listAgents } from '../handoff/list-agents.js';
import { checkBusinessHours } from './business-hours.js';

const weekdays = (open: string, close: string) => [1, 2, 3, 4, 5].map((day) => ({ day, open, close }));
const hours = (timeZone: string, extra: Partial<BusinessHours> = {}): BusinessHours => ({
  enabled: true,
  timeZone,
  weekly: weekdays('09:00', '17:00'),
  holidays: [],
  ...extra,
});
const at = (iso: string) => Date.parse(iso);

describe('business hours', () => {
  it('is open or closed by the wall clock of the widget’s time zone', () => {
    // Monday 2026-11-23 08:30 UTC is 09:30 in Berlin (open), 03:30 in New York (closed).
    expect(checkBusinessHours(hours('Europe/Berlin'), at('2026-11-23T08:30:00Z'))).toEqual({ open: true });
    const ny = checkBusinessHours(hours('America/New_York'), at('2026-11-23T08:30:00Z'));
    expect(ny).toMatchObject({ open: false, next: { date: '2026-11-23', time: '09:00' } });
    expect(ny.open === false && ny.next?.text).toBe('Monday 23 November at 09:00 (America/New_York)');
    // Friday 23:30 in Tokyo is already Saturday: next opening is Monday there.
    const tokyo = checkBusinessHours(hours('Asia/Tokyo'), at('2026-11-27T15:30:00Z'));
    expect(tokyo).toMatchObject({ open: false, next: { date: '2026-11-30', time: '09:00' } });
    // Closing time is exclusive; no hours at all, or disabled, means always open.
    expect(checkBusinessHours(hours('UTC'), at('2026-11-23T17:00:00Z')).open).toBe(false);
    expect(checkBusinessHours(null, at('2026-11-22T03:00:00Z'))).toEqual({ open: true });
    expect(checkBusinessHours({ ...hours('UTC'), enabled: false }, at('2026-11-22T03:00:00Z')).open).toBe(
      true,
    );
  });

  it('skips holidays and follows daylight-saving changes', () => {
    const xmas = hours('Europe/London', { holidays: ['2026-12-25', '2026-12-28'] });
    const r = checkBusinessHours(xmas, at('2026-12-24T18:00:00Z'));
    expect(r).toMatchObject({ open: false, next: { date: '2026-12-29', time: '09:00' } });
    // 2026-03-29 Europe/Berlin moves to UTC+2: 07:30 UTC on the Monday after is 09:30 local (open).
    expect(checkBusinessHours(hours('Europe/Berlin'), at('2026-03-30T07:30:00Z')).open).toBe(true);
    expect(checkBusinessHours(hours('Europe/Berlin'), at('2026-03-23T07:30:00Z')).open).toBe(false);
    // Two ranges a day (lunch break): between them the next opening is the afternoon.
    const split = hours('UTC', {
      weekly: [
        { day: 1, open: '09:00', close: '12:00' },
        { day: 1, open: '13:00', close: '17:00' },
      ],
    });
    expect(checkBusinessHours(split, at('2026-11-23T12:15:00Z'))).toMatchObject({ next: { time: '13:00' } });
  });
});

describe.each(DIALECTS)('after-hours handoff (%s)', (dialect) => {
  let s: Scenario;
  const realNow = clock.now;
  afterEach(async () => {
    clock.now = realNow;
    await s?.close();
  });

  it('tells the visitor when someone answers and keeps the email they leave as a lead', async () => {
    s = await startScenario(dialect);
    const widgetBase = `/api/v1/workspaces/${s.admin.workspaceId}/widgets/${s.widget.id}`;
    const bad = await http(s.server, 'PUT', `${widgetBase}/business-hours`, {
      cookie: s.admin.cookie,
      body: hours('Mars/Olympus_Mons'),
    });
    expect(bad.status).toBe(400);
    const saved = await http(s.server, 'PUT', `${widgetBase}/business-hours`, {
      cookie: s.admin.cookie,
      body: hours('Europe/Berlin', { holidays: ['2030-01-01'] }),
    });
    expect(saved.status).toBe(200);
    const flow = await http(s.server, 'POST', `${widgetBase}/flows`, {
      cookie: s.admin.cookie,
      body: {
        name: 'Straight to people',
        trigger: 'first_message',
        definition: { start: 'h', steps: [{ id: 'h', kind: 'handoff' }] },
      },
    });
    expect(flow.status).toBe(201);

    // The most recent Saturday, 12:00 UTC: closed in Berlin; the next opening is Monday 09:00.
    const real = realNow();
    const day = new Date(real);
    const saturday = Date.UTC(
      day.getUTCFullYear(),
      day.getUTCMonth(),
      // A Saturday at least a week back, whatever today is: the clock only goes back, and by days. (On a
      // Sunday the Saturday just before was only hours back, and the admin's session, made at the real
      // time, was then refused as expired.)
      day.getUTCDate() - ((day.getUTCDay() + 1) % 7) - 7,
      12,
    );
    clock.now = () => saturday + (realNow() - real);
    const monday = new Date(saturday + 2 * 86_400_000);

    const v = await startVisitor(s.server, s.widget);
    const probe: Probe = await connectVisitor(s.server, v.credential, s.widget.allowedOrigins[0]);
    probe.send({ type: 'subscribe', conversationId: v.conversationId, afterSeq: 0 });
    await probe.next('subscribed');
    const bot = () =>
      probe
        .of('message.new')
        .map((f) => f.message)
        .filter((m: Message) => m.author.kind === 'bot' && !m.clientId.startsWith('greeting_'));
    probe.sendMessage(v.conversationId, 'is anyone there?');
    await probe.until(() => bot().length >= 1, 'after-hours notice');
    const notice = bot()[0] as Message;
    const monthName = monday.toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
    expect(notice.body).toContain(
      `Someone will answer from Monday ${monday.getUTCDate()} ${monthName} at 09:00 (Europe/Berlin).`,
    );
    expect(notice.body).toContain('leave your email');

    // A mistyped address is not silently dropped: the visitor is told, and may send it again.
    probe.sendMessage(v.conversationId, 'sure, write to night.owl@example');
    await probe.until(() => bot().length >= 2, 'retry prompt');
    expect(bot()[1]?.body).toBe(
      'That does not look like an email address. Please type it like name@example.com.',
    );
    // A message without an address waits for the team, unanswered by the bot.
    probe.sendMessage(v.conversationId, 'thanks, I will wait');
    await probe.next('message.ack');
    probe.sendMessage(v.conversationId, 'sorry: night.owl@example.org.');
    await probe.until(() => bot().length >= 3, 'thanks');
    expect(bot().map((m: Message) => m.body)).toEqual([
      notice.body,
      'That does not look like an email address. Please type it like name@example.com.',
      'Thank you. We will also reply to night.owl@example.org.',
    ]);
    const profile = await http(
      s.server,
      'GET',
      `/api/v1/workspaces/${s.admin.workspaceId}/visitors/${v.visitor.id}`,
      {
        cookie: s.admin.cookie,
      },
    );
    expect(profile.body).toMatchObject({
      email: 'night.owl@example.org',
      custom: { 'lead.source': 'after_hours', 'lead.consent': 'granted' },
    });
    probe.close();
  });

  it('outside business hours nothing is given to an online operator: the query waits, and may be picked', async () => {
    s = await startScenario(dialect);
    const ws = `/api/v1/workspaces/${s.admin.workspaceId}`;
    const widgetBase = `${ws}/widgets/${s.widget.id}`;
    const as = (agent: TestAgent, method: string, path: string, body?: unknown) =>
      http(s.server, method, `${ws}${path}`, {
        cookie: agent.cookie,
        ...(body !== undefined ? { body } : {}),
      });
    expect(
      (await as(s.admin, 'PUT', `/widgets/${s.widget.id}/business-hours`, hours('Europe/Berlin'))).status,
    ).toBe(200);
    void widgetBase;
    const real = realNow();
    const day = new Date(real);
    const saturday = Date.UTC(
      day.getUTCFullYear(),
      day.getUTCMonth(),
      // A Saturday at least a week back, whatever today is: the clock only goes back, and by days. (On a
      // Sunday the Saturday just before was only hours back, and the admin's session, made at the real
      // time, was then refused as expired.)
      day.getUTCDate() - ((day.getUTCDay() + 1) % 7) - 7,
      12,
    );
    clock.now = () => saturday + (realNow() - real);

    // Ana is online (her socket is open) with room for three queries.
    const ana = await addAgent(s.server, s.admin.workspaceId, 'operator', 'ana@example.com');
    const anaSocket = await connectAgent(s.server, ana);
    const queuedQuery = async (conversationId: string) => {
      for (let i = 0; i < 200; i++) {
        const c = (await as(s.admin, 'GET', `/conversations/${conversationId}`)).body;
        if (c.query) return c.query as { id: string; state: string; assigneeId: string | null };
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('no query');
    };
    const deps = { db: s.server.app.db, workspaceId: s.admin.workspaceId, presenceTtlMs: 7 * 86_400_000 };

    const v = await startVisitor(s.server, s.widget);
    const probe = await connectVisitor(s.server, v.credential, s.widget.allowedOrigins[0]);
    probe.send({ type: 'subscribe', conversationId: v.conversationId, afterSeq: 0 });
    await probe.next('subscribed');
    probe.sendMessage(v.conversationId, 'is anyone there?');
    // No bot on this widget: the first message queues it, and it waits there.
    const query = await queuedQuery(v.conversationId);
    expect(await assignWaitingQueries(deps)).toEqual([]);
    expect((await queuedQuery(v.conversationId)).state).toBe('queued');
    // Ana may still take it by hand.
    expect((await as(ana, 'POST', `/queries/${query.id}/pick`, {})).status).toBe(200);

    // Within hours (Monday 10:00 in Berlin, Ana online that morning) the next query goes to her.
    clock.now = () => saturday + 2 * 86_400_000 - 3_600_000 + (realNow() - real);
    anaSocket.close();
    // Her Saturday session ran out over the weekend: she signs in on Monday.
    const mondaySocket = await connectAgent(s.server, await login(s.server, 'ana@example.com'));
    for (let i = 0; i < 400; i++) {
      const me = (await listAgents(deps)).find((a) => a.id === ana.me.user.id);
      if (me?.presence === 'online') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const w = await startVisitor(s.server, s.widget);
    const wProbe = await connectVisitor(s.server, w.credential, s.widget.allowedOrigins[0]);
    wProbe.send({ type: 'subscribe', conversationId: w.conversationId, afterSeq: 0 });
    await wProbe.next('subscribed');
    wProbe.sendMessage(w.conversationId, 'hello on Monday');
    await queuedQuery(w.conversationId);
    await assignWaitingQueries(deps);
    expect((await queuedQuery(w.conversationId)).assigneeId).toBe(ana.me.user.id);
    probe.close();
    wProbe.close();
    mondaySocket.close();
  });
});
