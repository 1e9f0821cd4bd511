import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../protocol/common.js';
import type { BusinessHours } from '../../../protocol/flows.js';
import { connectVisitor, http, type Probe, startVisitor } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { clock } from '../../platform/clock.js';

/**
 * The email step of a flow: a question the visitor asks instead is answered, not swallowed; the
 * step can be skipped; after hours, a visitor whose email is known is not asked for it again.
 */
describe.each(DIALECTS)('the email step (%s)', (dialect) => {
  let s: Scenario;
  let probe: Probe;
  const realNow = clock.now;
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const bot = () =>
    probe
      .of('message.new')
      .map((f) => f.message)
      .filter((m: Message) => m.author.kind === 'bot' && !m.clientId.startsWith('greeting_'));
  const botSays = (text: string) =>
    probe.until(() => bot().some((m) => m.body.includes(text)), `bot: ${text}`);

  const start = async (steps: Array<{ id: string; [key: string]: unknown }>) => {
    s = await startScenario(dialect);
    const article = await http(s.server, 'POST', `${base()}/knowledge/articles`, {
      cookie: s.admin.cookie,
      body: {
        title: 'Kayaks',
        body: 'Yes, we sell kayaks: sea kayaks and river kayaks, with paddles.',
      },
    });
    expect(article.status, JSON.stringify(article.body)).toBe(201);
    const flow = await http(s.server, 'POST', `${base()}/widgets/${s.widget.id}/flows`, {
      cookie: s.admin.cookie,
      body: { name: 'Lead', trigger: 'first_message', definition: { start: steps[0]?.id, steps } },
    });
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    const v = await startVisitor(s.server, s.widget);
    probe = await connectVisitor(s.server, v.credential, s.widget.allowedOrigins[0]);
    probe.send({ type: 'subscribe', conversationId: v.conversationId, afterSeq: 0 });
    await probe.next('subscribed');
    return v;
  };

  afterEach(async () => {
    clock.now = realNow;
    probe?.close();
    await s?.close();
  });

  it('answers a question asked at the email step, and lets the visitor skip it', async () => {
    const v = await start([
      { id: 'email', kind: 'ask', text: 'What is your email address?', attribute: 'email', next: 'bye' },
      { id: 'bye', kind: 'message', text: 'Thanks, that is all.' },
    ]);
    probe.sendMessage(v.conversationId, 'hello');
    await botSays('What is your email address?');
    const prompt = bot().find((m) => m.body === 'What is your email address?') as Message;
    expect(prompt.actions).toEqual([{ id: 'fs_skip', kind: 'reply', label: 'Skip' }]);

    probe.sendMessage(v.conversationId, 'Do you sell kayaks?');
    await botSays('we sell kayaks');
    // Not taken for a wrong email: no retry prompt, and the step still waits.
    expect(bot().some((m) => m.body.includes('does not look like an email'))).toBe(false);

    probe.send({
      type: 'message.send',
      conversationId: v.conversationId,
      clientId: 'skip-the-email-step-0001',
      body: 'Skip',
      action: { seq: prompt.seq, id: 'fs_skip' },
    });
    await botSays('Thanks, that is all.');
  });

  it('after hours, does not ask for an email the visitor already gave', async () => {
    const hours: BusinessHours = {
      enabled: true,
      timeZone: 'UTC',
      weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })),
      holidays: [],
    };
    const v = await start([
      { id: 'email', kind: 'ask', text: 'What is your email address?', attribute: 'email', next: 'h' },
      { id: 'h', kind: 'handoff' },
    ]);
    const saved = await http(s.server, 'PUT', `${base()}/widgets/${s.widget.id}/business-hours`, {
      cookie: s.admin.cookie,
      body: hours,
    });
    expect(saved.status).toBe(200);
    // The most recent Saturday, 12:00 UTC: closed.
    const real = realNow();
    const day = new Date(real);
    const saturday = Date.UTC(
      day.getUTCFullYear(),
      day.getUTCMonth(),
      // On a Saturday itself, the one before: noon today may still be ahead, and the clock only goes back.
      day.getUTCDate() - ((day.getUTCDay() + 1) % 7 || 7),
      12,
    );
    clock.now = () => saturday + (realNow() - real);

    probe.sendMessage(v.conversationId, 'hello');
    await botSays('What is your email address?');
    probe.sendMessage(v.conversationId, 'it is kayak.fan@example.org');
    await botSays('Our team is away right now.');
    const notice = bot().find((m) => m.body.includes('Our team is away')) as Message;
    expect(notice.body).not.toContain('leave your email');
    expect(notice.body).toContain('We have your email address');
  });
});
