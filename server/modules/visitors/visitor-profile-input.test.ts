import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitorProfilePatch } from '../../../protocol/data-protection.js';
import { addAgent, connectVisitor, http, type TestAgent } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { setVisitorProfile } from './set-visitor-profile.js';

/**
 * Custom profile fields are free-form: one visitor storing a field of the wrong type used to make
 * every masked view of that visitor (the operator's profile panel and conversation context) fail.
 */
describe.each(DIALECTS)('visitor custom fields (%s)', (dialect) => {
  let s: Scenario;
  let operator: TestAgent;
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const asVisitor = (body: unknown) =>
    http(s.server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${s.visitor.credential}` },
      body,
    });

  beforeAll(async () => {
    s = await startScenario(dialect);
    operator = await addAgent(s.server, s.admin.workspaceId, 'operator', 'op@example.com');
    // The visitor writes; with no bot the conversation is queued, and the operator takes it.
    const socket = await connectVisitor(s.server, s.visitor.credential);
    socket.sendMessage(s.visitor.conversationId, 'Hello, anyone there?');
    await socket.next('message.ack');
    socket.close();
    let queryId: string | undefined;
    for (let i = 0; i < 100 && !queryId; i += 1) {
      const c = await http(s.server, 'GET', `${base()}/conversations/${s.visitor.conversationId}`, {
        cookie: s.admin.cookie,
      });
      queryId = c.body.query?.id;
      if (!queryId) await new Promise((r) => setTimeout(r, 20));
    }
    const pick = await http(s.server, 'POST', `${base()}/queries/${queryId}/pick`, {
      cookie: operator.cookie,
      body: {},
    });
    expect(pick.status).toBe(200);
  });
  afterAll(async () => s?.close());

  it('refuses custom fields that are not text, or whose names are not field names', async () => {
    // Raw JSON: in an object literal `__proto__` would not be an own key.
    // Prototype keys are refused by the JSON parser itself, before any schema.
    for (const [custom, code] of [
      ['{"plan":5}', 'invalid_request'],
      ['{"plan":{"tier":"pro"}}', 'invalid_request'],
      ['{"plan":["pro"]}', 'invalid_request'],
      ['{"1plan":"pro"}', 'invalid_request'],
      ['{"__proto__":{"polluted":true}}', 'invalid_json'],
      ['{"constructor":{"prototype":{"polluted":true}}}', 'invalid_json'],
    ]) {
      const res = await http(s.server, 'PUT', '/api/v1/visitor/profile', {
        headers: { authorization: `Bearer ${s.visitor.credential}` },
        rawBody: `{"custom":${custom}}`,
      });
      expect(res.status, custom).toBe(400);
      expect(res.body.error.code, custom).toBe(code);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await asVisitor({ custom: { plan: 'pro' } })).status).toBe(200);
  });

  it('reads a stored field of the wrong type as absent instead of failing every view', async () => {
    // What an older version let through the schema, stored as it was then.
    await setVisitorProfile({
      db: s.server.db.db,
      vault: s.server.app.vault,
      workspaceId: s.admin.workspaceId,
      visitorId: s.visitor.visitor.id,
      patch: { custom: { plan: 'pro', tier: { level: 3 }, seats: 12 } } as unknown as VisitorProfilePatch,
    });
    for (const viewer of [operator, s.admin]) {
      const profile = await http(s.server, 'GET', `${base()}/visitors/${s.visitor.visitor.id}`, {
        cookie: viewer.cookie,
      });
      expect(profile.status).toBe(200);
      expect(Object.keys(profile.body.custom)).toEqual(['plan']);
      const context = await http(
        s.server,
        'GET',
        `${base()}/conversations/${s.visitor.conversationId}/context`,
        {
          cookie: viewer.cookie,
        },
      );
      expect(context.status).toBe(200);
      expect(Object.keys(context.body.profile.custom)).toEqual(['plan']);
    }
  });
});
