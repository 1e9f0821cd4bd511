import type { TSchema } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../../../test/support/clients.js';
import { rawRequest } from '../../../test/support/raw-http.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** WebAuthn extension outputs are the browser's to define; Parley reads none of them. */
const OPEN_BY_DESIGN = new Set(['/response/clientExtensionResults']);

/** Every object schema under `schema` (nested ones, array items, union members), with its path. */
function objectsIn(schema: TSchema, path = ''): Array<[string, TSchema]> {
  const out: Array<[string, TSchema]> = [];
  if (schema.type === 'object') out.push([path || '/', schema]);
  for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, TSchema>))
    out.push(...objectsIn(child, `${path}/${key}`));
  for (const [key, child] of Object.entries((schema.patternProperties ?? {}) as Record<string, TSchema>))
    out.push(...objectsIn(child, `${path}/${key}`));
  if (schema.items) out.push(...objectsIn(schema.items as TSchema, `${path}/items`));
  for (const member of (schema.anyOf ?? []) as TSchema[]) out.push(...objectsIn(member, path));
  return out;
}

/**
 * Whatever reaches SQL is validated first, the same way on both dialects: text that PostgreSQL
 * cannot store (NUL) or that would be altered on its way (unpaired surrogates) is refused, numbers
 * in query strings are plain bounded integers, times are times, and every write names its body.
 */
describe.each(DIALECTS)('input validation (%s)', (dialect) => {
  let s: Scenario;
  const base = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const get = (path: string) => http(s.server, 'GET', `${base()}${path}`, { cookie: s.admin.cookie });
  const send = (method: string, path: string, body: unknown) =>
    http(s.server, method, `${base()}${path}`, { cookie: s.admin.cookie, body });

  beforeAll(async () => {
    s = await startScenario(dialect);
  });
  afterAll(async () => s?.close());

  it('refuses NUL and unpaired surrogates in bodies, queries and paths, and stores nothing', async () => {
    for (const name of ['Billing\u0000', 'Billing\uD800', 'Billing\uDC00 desk', '\uDBFF']) {
      const res = await send('POST', '/teams', { name });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.details).toEqual([
        'body/name: must not contain U+0000 (NUL) or an unpaired UTF-16 surrogate',
      ]);
    }
    // A surrogate pair (an emoji) is ordinary text.
    expect((await send('POST', '/teams', { name: 'Billing \uD83D\uDE00' })).status).toBe(201);
    expect((await get('/teams')).body.items.map((t: { name: string }) => t.name)).toEqual([
      'Billing \uD83D\uDE00',
    ]);
    // In a key of a free-form object, too.
    const visitorId = s.visitor.visitor.id;
    const custom = await send('PATCH', `/visitors/${visitorId}`, { custom: { 'plan\u0000': 'pro' } });
    expect(custom.status).toBe(400);

    for (const query of [
      '/audit?actorId=a%00b',
      '/audit?targetId=%00',
      '/conversations?before=2026-01-01T00:00:00Z%00',
      '/archives?before=%00',
      '/knowledge/search?q=refund%00',
      '/conversations/%00',
    ]) {
      const res = await get(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('invalid_request');
    }
  });

  it('takes integers in query strings only as plain decimal digits within bounds', async () => {
    for (const value of ['2.9', '1e309', '1e1', '0x3', '+3', ' 3', '3 ', '3abc', '', '-1', '51']) {
      const res = await get(`/conversations?limit=${encodeURIComponent(value)}`);
      expect(res.status, `limit=${value}`).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    for (const value of ['99999999999999999999999', '2147483648', '0', '1.5']) {
      const res = await get(`/audit?beforeSeq=${value}`);
      expect(res.status, `beforeSeq=${value}`).toBe(400);
    }
    const afterSeq = await get(`/conversations/${s.visitor.conversationId}/messages?afterSeq=1e3`);
    expect(afterSeq.status).toBe(400);
    expect((await get('/conversations?limit=3')).status).toBe(200);
    expect((await get('/audit?beforeSeq=2147483647&limit=10')).status).toBe(200);
    expect((await get(`/conversations/${s.visitor.conversationId}/messages?afterSeq=0`)).status).toBe(200);
  });

  it('takes times in query strings only as UTC dates and times', async () => {
    for (const query of [
      '/reports/service?to=garbage',
      '/reports/service?from=2026-13-01',
      '/reports/service?from=2026-12-01T24:00:00Z',
      '/leads?from=yesterday',
      '/leads/export?format=json&to=2026-12-01T10:00:00%2B02:00',
      '/audit?since=2026-12-01T10:00:00',
      '/conversations?before=1700000000',
    ]) {
      const res = await get(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('invalid_request');
    }
    for (const query of [
      '/reports/service?from=2026-11-01&to=2026-12-01T10:00:00.123Z',
      '/leads?from=2026-11-01T00:00Z',
      '/audit?since=2026-12-01',
      '/conversations?before=2026-12-01T10:00:00.123456Z',
    ])
      expect((await get(query)).status, query).toBe(200);
  });

  it('refuses properties a write does not take, also where it takes none', async () => {
    const team = await send('POST', '/teams', { name: 'Returns' });
    expect(team.status).toBe(201);
    const refused = await send('DELETE', `/teams/${team.body.id}`, { cascade: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('invalid_request');
    expect((await get('/teams')).body.items.some((t: { id: string }) => t.id === team.body.id)).toBe(true);
    const logout = await http(s.server, 'POST', '/api/v1/auth/logout', {
      cookie: s.admin.cookie,
      body: { everywhere: true },
    });
    expect(logout.status).toBe(400);
    expect((await http(s.server, 'GET', '/api/v1/auth/me', { cookie: s.admin.cookie })).status).toBe(200);
    expect((await send('DELETE', `/teams/${team.body.id}`, {})).status).toBe(204);
  });

  it('answers a HEAD request too large to parse with headers only', async () => {
    // A body after the headers of an answer to HEAD would be read as the start of a broken response.
    const res = await rawRequest(s.server.url, {
      method: 'HEAD',
      path: `/api/v1/auth/me?q=${'a'.repeat(20_000)}`,
    });
    expect(res.status).toBe(431);
    expect(res.body).toBe('');
    expect(res.headers['content-security-policy']).toContain(`default-src 'none'`);
  });

  it.runIf(dialect === 'sqlite')('every route in the catalog declares what it takes', () => {
    const problems: string[] = [];
    for (const route of s.server.app.routeCatalog) {
      const name = `${route.method} ${route.url}`;
      const schema = route.schema as { body?: TSchema; querystring?: TSchema; params?: TSchema };
      if (WRITE.has(route.method) && !schema.body) problems.push(`${name}: no body schema`);
      // Unknown body properties are refused (docs/PROTOCOL.md §2), at every depth.
      for (const [path, object] of schema.body ? objectsIn(schema.body) : []) {
        if (object.additionalProperties !== false && !OPEN_BY_DESIGN.has(path))
          problems.push(`${name}: body${path} takes unknown properties`);
      }
      for (const [key, property] of Object.entries(
        (schema.querystring?.properties ?? {}) as Record<string, TSchema>,
      )) {
        for (const member of [property, ...((property.anyOf ?? []) as TSchema[])]) {
          if (member.type === 'integer' && (member.minimum === undefined || member.maximum === undefined))
            problems.push(`${name}: ?${key} is an integer without both bounds`);
          const bounded = member.maxLength !== undefined || member.const !== undefined || member.pattern;
          if (member.type === 'string' && !bounded)
            problems.push(`${name}: ?${key} is a string without a length limit`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
