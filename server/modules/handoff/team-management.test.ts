import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgent, connectVisitor, http, type Probe, type TestAgent } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';

/** Renaming and deleting teams, widget routing as the widget shows it, canned-response variables. */
describe.each(DIALECTS)('service settings (%s)', (dialect) => {
  let s: Scenario;
  let ana: TestAgent;
  let visitor: Probe;
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const as = (agent: TestAgent, method: string, path: string, body?: unknown) =>
    http(s.server, method, `${base()}${path}`, {
      cookie: agent.cookie,
      ...(body !== undefined ? { body } : {}),
    });

  beforeAll(async () => {
    s = await startScenario(dialect);
    ana = await addAgent(s.server, s.admin.workspaceId, 'operator', 'ana@example.com');
    visitor = await connectVisitor(s.server, s.visitor.credential);
    visitor.send({ type: 'subscribe', conversationId: s.visitor.conversationId, afterSeq: 0 });
    await visitor.next('subscribed');
  });
  afterAll(async () => {
    visitor?.close();
    await s?.close();
  });

  it('renames a team, refusing a name in use and a team that does not exist', async () => {
    const sales = (await as(s.admin, 'POST', '/teams', { name: 'Sales' })).body;
    await as(s.admin, 'POST', '/teams', { name: 'Billing' });
    expect(
      (await as(s.admin, 'PUT', `/teams/${sales.id}/members`, { userIds: [ana.me.user.id] })).status,
    ).toBe(200);

    const renamed = await as(s.admin, 'PATCH', `/teams/${sales.id}`, { name: '  Sales EU ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ id: sales.id, name: 'Sales EU', memberIds: [ana.me.user.id] });
    const taken = await as(s.admin, 'PATCH', `/teams/${sales.id}`, { name: 'Billing' });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'team_name_taken']);
    const missing = await as(s.admin, 'PATCH', '/teams/00000000-0000-4000-8000-000000000000', { name: 'X' });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'team_not_found']);
    const empty = await as(s.admin, 'PATCH', `/teams/${sales.id}`, { name: '' });
    expect([empty.status, empty.body.error.code]).toEqual([400, 'invalid_request']);
    const names = (await as(ana, 'GET', '/teams')).body.items.map((t: { name: string }) => t.name);
    expect(names).toEqual(['Billing', 'Sales EU']);
  });

  it('deleting a team routes its widgets to anyone and moves its queued queries to everyone', async () => {
    const vip = (await as(s.admin, 'POST', '/teams', { name: 'VIP' })).body;
    expect((await as(s.admin, 'PUT', `/widgets/${s.widget.id}/team`, { teamId: vip.id })).status).toBe(200);
    expect((await as(s.admin, 'GET', `/widgets/${s.widget.id}`)).body.teamId).toBe(vip.id);

    // The visitor writes: the query queues for VIP, where Ana (an operator outside VIP) cannot see it.
    visitor.sendMessage(s.visitor.conversationId, 'Hello, anyone there?');
    await visitor.next('message.ack');
    let queued: any[] = [];
    for (let i = 0; i < 50 && queued.length === 0; i++) {
      queued = (await as(s.admin, 'GET', '/queries?view=queue')).body.items;
      if (queued.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(queued).toHaveLength(1);
    expect(queued[0].teamId).toBe(vip.id);
    expect((await as(ana, 'GET', '/queries?view=queue')).body.items).toEqual([]);

    expect((await as(ana, 'DELETE', `/teams/${vip.id}`, {})).status).toBe(403);
    expect((await as(s.admin, 'DELETE', `/teams/${vip.id}`, {})).status).toBe(204);
    const again = await as(s.admin, 'DELETE', `/teams/${vip.id}`, {});
    expect([again.status, again.body.error.code]).toEqual([404, 'team_not_found']);

    expect((await as(s.admin, 'GET', `/widgets/${s.widget.id}`)).body.teamId).toBeNull();
    const teams = (await as(s.admin, 'GET', '/teams')).body.items.map((t: { id: string }) => t.id);
    expect(teams).not.toContain(vip.id);
    const anaQueue = (await as(ana, 'GET', '/queries?view=queue')).body.items;
    expect(anaQueue.map((q: { id: string; teamId: string | null }) => [q.id, q.teamId])).toEqual([
      [queued[0].id, null],
    ]);
    // The history still says where it was queued first.
    const events = (await as(s.admin, 'GET', `/queries/${queued[0].id}`)).body.events;
    expect(events[0]).toMatchObject({ kind: 'queued', teamId: vip.id });
  });

  it('accepts the variables the composer fills in and refuses any other', async () => {
    const ok = await as(s.admin, 'POST', '/canned-responses', {
      shortcut: 'hi',
      title: 'Greeting',
      body: 'Hi {visitor.name}, {agent.name} here. {not a variable}',
    });
    expect(ok.status).toBe(201);
    const bad = await as(s.admin, 'POST', '/canned-responses', {
      shortcut: 'order',
      title: 'Order',
      body: 'Your order {order.id} for {visitor.email} is on its way, {visitor.name}.',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('canned_variable_unknown');
    expect(bad.body.error.details).toEqual([
      'unknown variable {order.id}',
      'unknown variable {visitor.email}',
    ]);
    const edit = await as(s.admin, 'PUT', `/canned-responses/${ok.body.id}`, {
      shortcut: 'hi',
      title: 'Greeting',
      body: 'Hi {visitor.firstName}',
    });
    expect([edit.status, edit.body.error.code]).toEqual([400, 'canned_variable_unknown']);
    const list = (await as(ana, 'GET', '/canned-responses')).body.items;
    expect(list.map((c: { shortcut: string }) => c.shortcut)).toEqual(['hi']);
  });
});
