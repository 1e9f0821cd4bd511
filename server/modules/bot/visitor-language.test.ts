import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VisitorSession, Widget } from '../../../protocol/api.js';
import type { Message } from '../../../protocol/common.js';
import { connectVisitor, createWidget, http, type Probe } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { VISITOR_CATALOGUES } from '../../i18n/visitor-texts.js';

const GREETINGS = { de: 'Hallo! Wie können wir helfen?', ar: 'مرحبًا! كيف يمكننا مساعدتك؟' };
const ARTICLES = [
  {
    title: 'Refund timing',
    body: 'Refunds are issued within 5 business days after your return reaches our warehouse.',
    questions: ['When will I get my refund?'],
    language: 'en',
  },
  {
    title: 'Rückerstattung',
    body: 'Rückerstattungen erfolgen innerhalb von 5 Werktagen, nachdem Ihre Rücksendung bei uns ankam.',
    questions: ['Wann bekomme ich meine Rückerstattung?'],
    language: 'de',
  },
];

describe.each(DIALECTS)('the visitor’s language (%s)', (dialect) => {
  let s: Scenario;
  let widget: Widget;
  const probes: Probe[] = [];
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;

  beforeEach(async () => {
    s = await startScenario(dialect);
    widget = await createWidget(s.server, s.admin, ['https://shop.example.com']);
    const res = await http<Widget>(s.server, 'PATCH', `${base()}/widgets/${widget.id}`, {
      cookie: s.admin.cookie,
      body: { greetingTranslations: { ...GREETINGS, fr: '   ' } },
    });
    expect(res.status).toBe(200);
    // Blank translations are not kept: French visitors get the default greeting.
    expect(res.body.greetingTranslations).toEqual(GREETINGS);
    expect(res.body.defaultLanguage).toBe('en');
    for (const a of ARTICLES) {
      const created = await http(s.server, 'POST', `${base()}/knowledge/articles`, {
        cookie: s.admin.cookie,
        body: a,
      });
      expect(created.status).toBe(201);
    }
  });
  afterEach(async () => {
    for (const p of probes.splice(0)) p.close();
    await s.close();
  });

  const session = (body: Record<string, unknown>) =>
    http<VisitorSession>(s.server, 'POST', '/api/v1/visitor/sessions', {
      body: { widgetId: widget.id, hostOrigin: widget.allowedOrigins[0], ...body },
    });
  const join = async (v: VisitorSession): Promise<Probe> => {
    const probe = await connectVisitor(s.server, v.credential, widget.allowedOrigins[0]);
    probes.push(probe);
    probe.send({ type: 'subscribe', conversationId: v.conversationId, afterSeq: 0 });
    await probe.next('subscribed');
    return probe;
  };
  const bot = (p: Probe): Message[] =>
    p
      .of('message.new')
      .map((f) => f.message)
      .filter((m) => m.author.kind === 'bot');
  const ask = async (p: Probe, v: VisitorSession, text: string, count: number) => {
    p.sendMessage(v.conversationId, text);
    await p.until((probe) => bot(probe).length >= count, `bot message ${count}`);
    return bot(p)[count - 1] as Message;
  };

  it('greets, answers from an article in the visitor’s language and hands off in it', async () => {
    const flow = await http(s.server, 'POST', `${base()}/widgets/${widget.id}/flows`, {
      cookie: s.admin.cookie,
      body: {
        name: 'Track',
        trigger: 'quick_reply',
        label: 'Track my order',
        labels: { de: 'Bestellung verfolgen', fr: ' ' },
        definition: {
          start: 'a',
          steps: [
            { id: 'a', kind: 'message', text: 'It is on its way.', texts: { de: 'Sie ist unterwegs.' } },
          ],
        },
      },
    });
    expect(flow.status).toBe(201);
    expect(flow.body.labels).toEqual({ de: 'Bestellung verfolgen' });
    const res = await session({ language: 'de' });
    expect(res.status).toBe(201);
    expect(res.body.language).toBe('de');
    const visitor = await join(res.body);
    await visitor.until((p) => bot(p).length >= 1, 'greeting');
    const greeting = bot(visitor)[0] as Message;
    expect(greeting.body).toBe(GREETINGS.de);
    // The flow's button under the greeting, and what the flow says, in German.
    const button = greeting.actions?.[0];
    expect(button?.label).toBe('Bestellung verfolgen');
    visitor.send({
      type: 'message.send',
      conversationId: res.body.conversationId,
      clientId: 'press-the-track-button-01',
      body: button?.label ?? '',
      action: { seq: greeting.seq, id: button?.id ?? '' },
    });
    await visitor.until((p) => bot(p).length >= 2, 'flow message');
    expect(bot(visitor)[1]?.body).toBe('Sie ist unterwegs.');

    const answer = await ask(visitor, res.body, 'Wann bekomme ich meine Rückerstattung?', 3);
    expect(answer.body).toContain('innerhalb von 5 Werktagen');
    expect(answer.parts?.[0]).toMatchObject({ type: 'source', title: 'Rückerstattung' });

    const notice = await ask(visitor, res.body, 'Ich möchte mit einem Menschen sprechen', 4);
    expect(notice.body).toBe(VISITOR_CATALOGUES.de.handoff);
  });

  it('answers from the default language’s article when none is in the visitor’s, and says its own words in theirs', async () => {
    const res = await session({ language: 'pt' });
    expect(res.body.language).toBe('pt');
    const visitor = await join(res.body);
    await visitor.until((p) => bot(p).length >= 1, 'greeting');
    // No Portuguese greeting: the default one.
    expect(bot(visitor)[0]?.body).toBe('Hi! How can we help?');
    const answer = await ask(visitor, res.body, 'When will I get my refund?', 2);
    expect(answer.parts?.[0]).toMatchObject({ type: 'source', title: 'Refund timing' });
    const miss = await ask(visitor, res.body, 'quantum chromodynamics', 3);
    expect(miss.body).toBe(VISITOR_CATALOGUES.pt.noAnswer);
    expect(miss.actions?.at(-1)).toMatchObject({
      kind: 'handoff',
      label: VISITOR_CATALOGUES.pt.handoffAction,
    });
  });

  it('a widget that always uses its default language ignores the browser’s', async () => {
    const patch = await http<Widget>(s.server, 'PATCH', `${base()}/widgets/${widget.id}`, {
      cookie: s.admin.cookie,
      body: { defaultLanguage: 'ar', alwaysDefaultLanguage: true },
    });
    expect(patch.body).toMatchObject({ defaultLanguage: 'ar', alwaysDefaultLanguage: true });
    const res = await session({ language: 'de' });
    expect(res.body.language).toBe('ar');
    const visitor = await join(res.body);
    await visitor.until((p) => bot(p).length >= 1, 'greeting');
    expect(bot(visitor)[0]?.body).toBe(GREETINGS.ar);

    // The frame carries the setting; the launcher's words are Arabic whatever the browser asks.
    const frame = await http<string>(s.server, 'GET', `/w/${widget.id}`, { origin: null });
    expect(frame.body).toContain('<html lang="ar" dir="rtl">');
    expect(frame.body).toContain('data-default-language="ar" data-always-language="true"');
    const pub = await http(s.server, 'GET', `/api/v1/widgets/${widget.id}/public`, {
      origin: widget.allowedOrigins[0],
      headers: { 'accept-language': 'de-DE,de;q=0.9' },
    });
    expect(pub.body.words).toEqual({
      lang: 'ar',
      region: VISITOR_CATALOGUES.ar.launcherRegion,
      open: VISITOR_CATALOGUES.ar.launcherOpen,
      unread: VISITOR_CATALOGUES.ar.launcherUnread,
    });
  });

  it('the launcher’s words follow Accept-Language; a resumed conversation follows the widget’s language', async () => {
    const pub = await http(s.server, 'GET', `/api/v1/widgets/${widget.id}/public`, {
      origin: widget.allowedOrigins[0],
      headers: { 'accept-language': 'sv-SE,pl;q=0.8,en;q=0.5' },
    });
    expect(pub.body.words).toMatchObject({ lang: 'pl', open: 'Otwórz czat' });
    expect(pub.headers.get('vary')).toContain('Accept-Language');

    const first = await session({ language: 'de' });
    const again = await session({ credential: first.body.credential, language: 'fr' });
    expect(again.body.conversationId).toBe(first.body.conversationId);
    expect(again.body.language).toBe('fr');
    const visitor = await join(again.body);
    const miss = await ask(visitor, again.body, 'quantum chromodynamics', 2);
    expect(miss.body).toBe(VISITOR_CATALOGUES.fr.noAnswer);
  });

  it('refuses a language that is not a supported code, and stores nothing', async () => {
    for (const language of ['xx', 'de-DE', '../en', '', 'EN']) {
      const res = await session({ language });
      expect(res.status, language).toBe(400);
      expect((res.body as unknown as { error: { code: string } }).error.code).toBe('invalid_request');
    }
    for (const body of [
      { defaultLanguage: 'klingon' },
      { greetingTranslations: { xx: 'Hi' } },
      { greetingTranslations: { de: 'x'.repeat(501) } },
    ]) {
      const res = await http(s.server, 'PATCH', `${base()}/widgets/${widget.id}`, {
        cookie: s.admin.cookie,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    const article = await http(s.server, 'POST', `${base()}/knowledge/articles`, {
      cookie: s.admin.cookie,
      body: { title: 'T', body: 'B', language: 'xx' },
    });
    expect(article.status).toBe(400);
    const after = await http<Widget>(s.server, 'GET', `${base()}/widgets/${widget.id}`, {
      cookie: s.admin.cookie,
    });
    expect(after.body).toMatchObject({ defaultLanguage: 'en', greetingTranslations: GREETINGS });
  });
});
