import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../protocol/common.js';
import type { FlowBody } from '../../../protocol/flows.js';
import { connectVisitor, http, type Probe, startVisitor } from '../../../test/support/clients.js';
import { rawOccurrences } from '../../../test/support/raw-data.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { HANDOFF_MESSAGE } from '../handoff/request-handoff.js';

const SUPPORT_FLOW: FlowBody = {
  name: 'Support triage',
  trigger: 'first_message',
  definition: {
    start: 'menu',
    steps: [
      {
        id: 'menu',
        kind: 'buttons',
        text: 'What can we help you with?',
        buttons: [
          { label: 'Where is my order', next: 'order' },
          { label: 'Talk to sales', next: 'email' },
          { label: 'A person please', next: 'human' },
        ],
      },
      {
        id: 'order',
        kind: 'ask',
        text: 'What is your order number?',
        attribute: 'order_number',
        field: 'order',
        next: 'cp',
      },
      { id: 'cp', kind: 'checkpoint', name: 'order_known', next: 'thanks' },
      { id: 'thanks', kind: 'message', text: 'Thanks, we are looking it up.' },
      { id: 'email', kind: 'ask', text: 'What is your email address?', attribute: 'email', next: 'consent' },
      {
        id: 'consent',
        kind: 'buttons',
        text: 'May sales contact you by email?',
        buttons: [
          { label: 'Yes', consent: true, next: 'bye' },
          { label: 'No', consent: false, next: 'bye' },
        ],
      },
      { id: 'bye', kind: 'message', text: 'Great, sales will be in touch.' },
      { id: 'human', kind: 'handoff', text: 'Connecting you with sales.', teamId: 'team-sales' },
    ],
  },
};

describe.each(DIALECTS)('bot flows (%s)', (dialect) => {
  let s: Scenario;
  let visitor: Probe;
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const flowsUrl = () => `${base()}/widgets/${s.widget.id}/flows`;
  const conversationId = () => s.visitor.conversationId;

  beforeEach(async () => {
    s = await startScenario(dialect);
    const res = await http(s.server, 'POST', flowsUrl(), { cookie: s.admin.cookie, body: SUPPORT_FLOW });
    expect(res.status).toBe(201);
    visitor = await connectVisitor(s.server, s.visitor.credential, s.widget.allowedOrigins[0]);
    visitor.send({ type: 'subscribe', conversationId: conversationId(), afterSeq: 0 });
    await visitor.next('subscribed');
  });
  afterEach(async () => {
    visitor.close();
    await s.close();
  });

  const bot = (p: Probe): Message[] =>
    p
      .of('message.new')
      .map((f) => f.message)
      .filter((m) => m.author.kind === 'bot' && m.seq > 1);
  const lastBot = () => bot(visitor).at(-1) as Message;
  /** Sends text (or presses a button of `on`) and waits until the bot said `count` things in all. */
  const say = async (text: string, count: number, on?: Message) => {
    const action = on?.actions?.find((a) => a.label === text);
    if (on) expect(action, `button ${text}`).toBeDefined();
    visitor.send({
      type: 'message.send',
      conversationId: conversationId(),
      clientId: `c_${Math.random().toString(36).slice(2)}_visitor`,
      body: text,
      ...(on && action ? { action: { seq: on.seq, id: action.id } } : {}),
    });
    await visitor.until((p) => bot(p).length >= count, `bot message ${count}`);
    return lastBot();
  };

  it('collects a lead: buttons, an email with a retry, consent; stored sealed, exported and erased', async () => {
    const menu = await say('hello', 1);
    expect(menu.body).toBe('What can we help you with?');
    expect(menu.actions?.map((a) => a.label)).toEqual([
      'Where is my order',
      'Talk to sales',
      'A person please',
    ]);

    expect((await say('Talk to sales', 2, menu)).body).toBe('What is your email address?');
    const retry = await say('my email is secret', 3);
    expect(retry.body).toMatch(/does not look like an email address/);
    const consent = await say('lead.person@example.com', 4);
    expect(consent.body).toBe('May sales contact you by email?');
    expect((await say('Yes', 5, consent)).body).toBe('Great, sales will be in touch.');

    const visitorId = s.visitor.visitor.id;
    const profile = await http(s.server, 'GET', `${base()}/visitors/${visitorId}`, {
      cookie: s.admin.cookie,
    });
    expect(profile.body).toMatchObject({
      email: 'lead.person@example.com',
      custom: { 'lead.consent': 'granted', 'lead.source': expect.stringMatching(/^flow:/) },
    });
    expect(await rawOccurrences(s.database, ['lead.person@example.com'])).toEqual([]);

    const exported = await http(s.server, 'GET', `${base()}/visitors/${visitorId}/export`, {
      cookie: s.admin.cookie,
    });
    expect(exported.body.visitor).toMatchObject({
      email: 'lead.person@example.com',
      custom: expect.objectContaining({ 'lead.consent': 'granted' }),
    });

    const erased = await http(s.server, 'DELETE', `${base()}/visitors/${visitorId}`, {
      cookie: s.admin.cookie,
      body: {},
    });
    expect(erased.status).toBe(200);
    const db = s.server.db.db;
    expect(
      await db.selectFrom('visitor_profiles').selectAll().where('visitor_id', '=', visitorId).execute(),
    ).toEqual([]);
    expect(
      await db.selectFrom('flow_runs').selectAll().where('conversation_id', '=', conversationId()).execute(),
    ).toEqual([]);
  });

  it('validates an order number with a retry, then records a sealed checkpoint', async () => {
    await say('hi', 1);
    expect((await say('where is my order', 2)).body).toBe('What is your order number?'); // typed label
    expect((await say('#!', 3)).body).toMatch(/does not look like an order number/);
    expect((await say('ab-77123', 4)).body).toBe('Thanks, we are looking it up.');

    const db = s.server.db.db;
    const [cp] = await db
      .selectFrom('conversation_checkpoints')
      .selectAll()
      .where('conversation_id', '=', conversationId())
      .execute();
    expect(cp?.name).toBe('order_known');
    expect(cp?.data).toMatch(/^e1:/);
    const key = await s.server.app.vault.forVisitor(db, s.admin.workspaceId, s.visitor.visitor.id);
    expect(
      JSON.parse(key.open('conversation_checkpoints', 'data', cp?.id ?? '', cp?.data ?? '')),
    ).toMatchObject({
      custom: { order: 'AB-77123' },
    });
    expect(await rawOccurrences(s.database, ['AB-77123', 'ab-77123'])).toEqual([]);
    // The flow ran once: the next message goes to the ordinary bot (no knowledge base: silence).
    const marker = visitor.sendMessage(conversationId(), 'thanks');
    await visitor.until((p) => p.of('message.new').some((f) => f.message.clientId === marker), 'echo');
    expect(bot(visitor)).toHaveLength(4);
  });

  it('hands off after too many wrong answers, and from a handoff step with its team', async () => {
    const menu = await say('hi', 1);
    await say('banana', 2);
    await say('banana', 3);
    expect(
      bot(visitor)
        .slice(1, 3)
        .map((m) => m.actions?.length),
    ).toEqual([3, 3]);
    expect((await say('banana', 4)).body).toBe(HANDOFF_MESSAGE);
    expect(menu.seq).toBeGreaterThan(1);

    const other = await startVisitor(s.server, s.widget);
    const probe = await connectVisitor(s.server, other.credential, s.widget.allowedOrigins[0]);
    probe.send({ type: 'subscribe', conversationId: other.conversationId, afterSeq: 0 });
    await probe.next('subscribed');
    probe.sendMessage(other.conversationId, 'hi');
    await probe.until((p) => bot(p).length >= 1, 'menu');
    const m = bot(probe)[0] as Message;
    probe.send({
      type: 'message.send',
      conversationId: other.conversationId,
      clientId: 'press_person_button_1',
      body: 'A person please',
      action: { seq: m.seq, id: m.actions?.[2]?.id },
    });
    await probe.until((p) => bot(p).some((b) => b.body === HANDOFF_MESSAGE), 'handoff');
    expect(bot(probe).map((b) => b.body)).toContain('Connecting you with sales.');
    const run = await s.server.db.db
      .selectFrom('flow_runs')
      .selectAll()
      .where('conversation_id', '=', other.conversationId)
      .executeTakeFirst();
    expect(run?.handoff_team_id).toBe('team-sales');
    probe.close();
  });

  it('refuses broken definitions and keeps every version; a running conversation stays on its version', async () => {
    const bad = async (definition: unknown) =>
      http(s.server, 'POST', flowsUrl(), {
        cookie: s.admin.cookie,
        body: { name: 'Other', trigger: 'off', definition },
      });
    const loop = await bad({
      start: 'a',
      steps: [
        { id: 'a', kind: 'message', text: 'one', next: 'b' },
        { id: 'b', kind: 'checkpoint', name: 'x', next: 'a' },
      ],
    });
    expect(loop.status).toBe(400);
    expect(loop.body.error.details.join(' ')).toMatch(/loops without asking the visitor/);
    const dangling = await bad({
      start: 'a',
      steps: [{ id: 'a', kind: 'message', text: 'one', next: 'zz' }],
    });
    expect(dangling.body.error.details.join(' ')).toMatch(/"zz", which does not exist/);
    const many = Array.from({ length: 51 }, (_, i) => ({ id: `s${i}`, kind: 'message', text: 'x' }));
    expect((await bad({ start: 's0', steps: many })).status).toBe(400);
    // A loop through a question is fine: the visitor moves it on.
    const ok = await bad({
      start: 'a',
      steps: [
        { id: 'a', kind: 'ask', text: 'Name?', attribute: 'text', field: 'name', next: 'b' },
        { id: 'b', kind: 'message', text: 'again', next: 'a' },
      ],
    });
    expect(ok.status).toBe(201);

    const menu = await say('hi', 1); // runs version 1
    const list = await http(s.server, 'GET', flowsUrl(), { cookie: s.admin.cookie });
    const flow = list.body.items.find((f: { name: string }) => f.name === 'Support triage');
    const v2 = structuredClone(SUPPORT_FLOW);
    (v2.definition.steps[4] as { text: string }).text = 'Your email, please?';
    const saved = await http(s.server, 'PUT', `${flowsUrl()}/${flow.id}`, {
      cookie: s.admin.cookie,
      body: v2,
    });
    expect(saved.body.version).toBe(2);
    expect((await say('Talk to sales', 2, menu)).body).toBe('What is your email address?');
    const versions = await s.server.db.db
      .selectFrom('bot_flow_versions')
      .select('version')
      .where('flow_id', '=', flow.id)
      .execute();
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);
  });

  it('offers quick-reply flows under the greeting and starts one when pressed', async () => {
    await http(s.server, 'PATCH', `${base()}/widgets/${s.widget.id}`, {
      cookie: s.admin.cookie,
      body: { greeting: 'Hi there!' },
    });
    const quick: FlowBody = {
      name: 'Returns',
      trigger: 'quick_reply',
      label: 'Start a return',
      definition: {
        start: 'a',
        steps: [{ id: 'a', kind: 'ask', text: 'Which order?', attribute: 'order_number' }],
      },
    };
    expect((await http(s.server, 'POST', flowsUrl(), { cookie: s.admin.cookie, body: quick })).status).toBe(
      201,
    );
    const other = await startVisitor(s.server, s.widget);
    const probe = await connectVisitor(s.server, other.credential, s.widget.allowedOrigins[0]);
    probe.send({ type: 'subscribe', conversationId: other.conversationId, afterSeq: 0 });
    await probe.next('subscribed');
    await probe.until((p) => p.of('message.new').length >= 1, 'greeting');
    const greeting = probe.of('message.new')[0]?.message as Message;
    expect(greeting.actions?.map((a) => a.label)).toEqual(['Start a return']);
    probe.send({
      type: 'message.send',
      conversationId: other.conversationId,
      clientId: 'press_return_button_1',
      body: 'Start a return',
      action: { seq: greeting.seq, id: greeting.actions?.[0]?.id },
    });
    await probe.until((p) => bot(p).some((m) => m.body === 'Which order?'), 'returns flow');
    probe.close();
  });

  it('is for administrators only', async () => {
    const { addAgent } = await import('../../../test/support/clients.js');
    const op = await addAgent(s.server, s.admin.workspaceId, 'supervisor', 'sup@example.com');
    for (const path of [
      flowsUrl(),
      `${base()}/widgets/${s.widget.id}/external-bot`,
      `${base()}/widgets/${s.widget.id}/business-hours`,
    ]) {
      expect((await http(s.server, 'GET', path, { cookie: op.cookie })).status).toBe(403);
    }
  });
});
