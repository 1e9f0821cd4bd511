import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Widget } from '../../../protocol/api.js';
import { addAgent, createWidget, http, startVisitor, type TestAgent } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { listLeads } from './list-leads.js';

/** The leads list and its export, by role, with filters and paging; both dialects. */
describe.each(DIALECTS)('leads (%s)', (dialect) => {
  let s: Scenario;
  let operator: TestAgent;
  let supervisor: TestAgent;
  let other: Widget;
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}/leads`;
  const get = (who: TestAgent, query = '') =>
    http(s.server, 'GET', `${base()}${query}`, { cookie: who.cookie });
  /** A new visitor on `widget` tells the widget what a flow would have asked. */
  const visitorGives = async (widget: Widget, profile: Record<string, unknown>) => {
    const v = await startVisitor(s.server, widget);
    const res = await http(s.server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${v.credential}` },
      body: profile,
    });
    expect(res.status).toBe(200);
    return v;
  };

  beforeAll(async () => {
    s = await startScenario(dialect);
    operator = await addAgent(s.server, s.admin.workspaceId, 'operator', 'op@example.com');
    supervisor = await addAgent(s.server, s.admin.workspaceId, 'supervisor', 'sup@example.com');
    other = await createWidget(s.server, s.admin, ['https://blog.example.com']);
    await visitorGives(s.widget, {
      email: 'priya@example.com',
      name: 'Priya Patel',
      custom: { 'lead.source': 'flow:Newsletter', 'lead.consent': 'granted' },
    });
    await visitorGives(s.widget, { email: 'li@example.com', custom: { 'lead.source': 'flow:Pricing' } });
    await visitorGives(s.widget, { name: '=HYPERLINK("https://evil.example")', email: 'x@example.com' });
    await visitorGives(other, { email: 'blog@example.com' });
    // Not a lead: no email.
    await visitorGives(s.widget, { name: 'No Mail' });
  });
  afterAll(async () => s?.close());

  it('lists leads newest first, pages them, and filters by widget and date', async () => {
    const all = await get(s.admin);
    expect(all.status).toBe(200);
    expect(all.body.items.map((l: any) => l.email).sort()).toEqual([
      'blog@example.com',
      'li@example.com',
      'priya@example.com',
      'x@example.com',
    ]);
    const priya = all.body.items.find((l: any) => l.email === 'priya@example.com');
    expect(priya).toMatchObject({
      name: 'Priya Patel',
      source: 'flow:Newsletter',
      consent: 'granted',
      widgetId: s.widget.id,
      masked: false,
    });
    expect(priya.conversationId).toMatch(/^[0-9a-f-]{36}$/);

    // Pages of two: every lead once, in the same order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await get(
        s.admin,
        `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((l: any) => l.visitorId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((l: any) => l.visitorId));

    const blog = await get(s.admin, `?widgetId=${other.id}`);
    expect(blog.body.items.map((l: any) => l.email)).toEqual(['blog@example.com']);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await get(s.admin, `?from=${future}`)).body.items).toEqual([]);
    expect((await get(s.admin, `?to=${future}`)).body.items).toHaveLength(4);
  });

  it('lets supervisors read them, refuses operators, and masks for viewers without personal data', async () => {
    const sup = await get(supervisor);
    expect(sup.status).toBe(200);
    expect(JSON.stringify(sup.body)).toContain('priya@example.com');
    const op = await get(operator);
    expect(op.status).toBe(403);
    expect(op.body.error.code).toBe('forbidden');

    const masked = await listLeads({
      db: s.server.db.db,
      vault: s.server.app.vault,
      viewer: { personalData: false },
      query: { workspaceId: s.admin.workspaceId },
    });
    const text = JSON.stringify(masked);
    expect(text).not.toContain('priya@example.com');
    expect(text).not.toContain('Priya Patel');
    expect(masked.items.find((l) => l.email.startsWith('p'))).toMatchObject({
      email: 'p•••@•••.com',
      name: 'P••• P•••',
      masked: true,
    });
  });

  it('refuses malformed filters with a clear code', async () => {
    for (const query of [
      '?from=yesterday',
      '?limit=0',
      '?limit=1000',
      '?cursor=nope',
      '?widgetId=1',
      '?sort=x',
    ]) {
      const res = await get(s.admin, query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('invalid_request');
    }
  });

  it('exports CSV and JSON to administrators only, audited, with formulas defused', async () => {
    const csv = await http(s.server, 'GET', `${base()}/export?format=csv`, { cookie: s.admin.cookie });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="leads-[0-9-]+\.csv"$/);
    const text = csv.body as string;
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('collectedAt,email,name,phone,source,consent,widgetId,visitorId,conversationId');
    expect(lines).toHaveLength(5);
    expect(text).toContain('"\'=HYPERLINK(""https://evil.example"")"');
    const json = await http(s.server, 'GET', `${base()}/export?format=json&widgetId=${other.id}`, {
      cookie: s.admin.cookie,
    });
    expect(json.body.items.map((l: any) => l.email)).toEqual(['blog@example.com']);

    const refused = await http(s.server, 'GET', `${base()}/export?format=csv`, { cookie: supervisor.cookie });
    expect(refused.status).toBe(403);
    const audit = await http(
      s.server,
      'GET',
      `/api/v1/workspaces/${s.admin.workspaceId}/audit?action=leads.exported`,
      {
        cookie: s.admin.cookie,
      },
    );
    expect(audit.status).toBe(200);
    const events = audit.body.items.filter((e: any) => e.action === 'leads.exported');
    expect(events.map((e: any) => e.details.count).sort()).toEqual([1, 4]);
    expect(JSON.stringify(audit.body)).not.toContain('@example.com');
  });

  // Last: it adds leads that the counts above do not expect.
  it("names a lead's flow instead of showing its id, also once the flow is deleted", async () => {
    const flows = `/api/v1/workspaces/${s.admin.workspaceId}/widgets/${other.id}/flows`;
    const body = {
      name: 'Newsletter sign-up',
      trigger: 'first_message',
      definition: {
        start: 'ask',
        steps: [{ id: 'ask', kind: 'ask', text: 'Your email?', attribute: 'email' }],
      },
    };
    const kept = await http(s.server, 'POST', flows, { cookie: s.admin.cookie, body });
    const gone = await http(s.server, 'POST', flows, {
      cookie: s.admin.cookie,
      body: { ...body, name: 'Old offer', trigger: 'off' },
    });
    expect([kept.status, gone.status]).toEqual([201, 201]);
    await visitorGives(other, {
      email: 'named@example.com',
      custom: { 'lead.source': `flow:${kept.body.id}` },
    });
    await visitorGives(other, {
      email: 'orphan@example.com',
      custom: { 'lead.source': `flow:${gone.body.id}` },
    });
    expect(
      (await http(s.server, 'DELETE', `${flows}/${gone.body.id}`, { cookie: s.admin.cookie, body: {} }))
        .status,
    ).toBe(204);

    for (const who of [s.admin, supervisor]) {
      const items = (await get(who, `?widgetId=${other.id}`)).body.items;
      const named = items.find((l: any) => l.email === 'named@example.com');
      const orphan = items.find((l: any) => l.email === 'orphan@example.com');
      expect(named).toMatchObject({ source: `flow:${kept.body.id}`, sourceLabel: 'Newsletter sign-up' });
      expect(orphan).toMatchObject({ source: `flow:${gone.body.id}`, sourceLabel: 'A deleted flow' });
    }
    // A source that is not a flow id reads as it is.
    const priya = (await get(s.admin)).body.items.find((l: any) => l.email === 'priya@example.com');
    expect(priya.sourceLabel).toBe('flow:Newsletter');
  });
});
