import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN_SCOPES, type ApiTokenScope, type CreatedApiToken } from '../../../protocol/api-tokens.js';
import { createToken, tokenCall } from '../../../test/support/api-tokens.js';
import { setupAdmin } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import type { Access } from '../../platform/http/access.js';
import { createWorkspace } from '../workspaces/create-workspace.js';

type Outcome = 'admitted' | 'not_accepted' | 'missing_scope' | 'invalid';

/** What a token holding `scopes` should get from a route with this access policy. */
function expected(access: Access, scopes: readonly ApiTokenScope[]): Outcome {
  if (access.kind !== 'member' || !access.tokenScope) return 'not_accepted';
  return scopes.includes(access.tokenScope) ? 'admitted' : 'missing_scope';
}

/** Past access control, a route may still answer 400 or 404 (e.g. an id that does not exist): admitted. */
function classify(status: number, code: string | undefined): Outcome {
  if (status === 403 && code === 'token_not_accepted') return 'not_accepted';
  if (status === 403 && code === 'forbidden') return 'missing_scope';
  if (status === 401) return 'invalid';
  return 'admitted';
}

/**
 * Every registered route, called with tokens of every single scope, all scopes, another workspace's
 * token and a revoked one: only routes that name a token scope admit a token, and only one holding
 * that scope, in its own workspace.
 */
describe.each(DIALECTS)('API token scope matrix (%s)', (dialect) => {
  let s: Scenario;
  const tokens = new Map<string, { scopes: readonly ApiTokenScope[]; created: CreatedApiToken }>();
  let foreign: CreatedApiToken;
  let revoked: CreatedApiToken;

  beforeAll(async () => {
    s = await startScenario(dialect);
    for (const scope of API_TOKEN_SCOPES) {
      tokens.set(scope, { scopes: [scope], created: await createToken(s.server, s.admin, [scope]) });
    }
    tokens.set('all', {
      scopes: API_TOKEN_SCOPES,
      created: await createToken(s.server, s.admin, API_TOKEN_SCOPES),
    });
    const other = await createWorkspace({ db: s.server.db.db, name: 'Elsewhere' });
    foreign = await createToken(
      s.server,
      await setupAdmin(s.server, other.id, 'o@elsewhere.example'),
      API_TOKEN_SCOPES,
    );
    revoked = await createToken(s.server, s.admin, API_TOKEN_SCOPES);
    const res = await fetch(
      `${s.server.url}/api/v1/workspaces/${s.admin.workspaceId}/api-tokens/${revoked.apiToken.id}/revoke`,
      {
        method: 'POST',
        headers: { cookie: s.admin.cookie, origin: s.server.origin, 'content-type': 'application/json' },
        body: '{}',
      },
    );
    expect(res.status).toBe(200);
  });
  afterAll(async () => s?.close());

  const routesOf = () => [...s.server.app.routeCatalog].filter((r) => r.method !== 'HEAD');

  it('finds routes that take tokens', () => {
    expect(routesOf().length).toBeGreaterThan(15);
    expect(routesOf().some((r) => r.access.kind === 'member' && r.access.tokenScope)).toBe(true);
  });

  // Every route × seven tokens is several hundred requests: they run in parts, in the order of one
  // pass, so each part stays well inside its time on a busy machine.
  const PARTS = 4;
  it.each(Array.from({ length: PARTS }, (_, i) => i + 1))(
    'admits a token exactly where its scope is named, and nowhere else (routes, part %i of 4)',
    async (part) => {
      const all = routesOf();
      const size = Math.ceil(all.length / PARTS);
      const routes = all.slice((part - 1) * size, part * size);
      const fill = (url: string) =>
        url
          .replace(':workspaceId', s.admin.workspaceId)
          .replace(':widgetId', s.widget.id)
          .replace(':conversationId', s.visitor.conversationId)
          .replace(':visitorId', s.visitor.visitor.id)
          .replace('*', 'app.js')
          .replace(/:[A-Za-z]+/g, () => randomUUID());
      const failures: string[] = [];
      const call = async (token: string, method: string, url: string) => {
        const res = await tokenCall(s.server, token, method, fill(url), method === 'GET' ? undefined : {});
        expect(res.status, `${method} ${url}`).toBeLessThan(500);
        return {
          outcome: classify(res.status, res.body?.error?.code),
          answer: `${res.status} ${res.body?.error?.code}`,
        };
      };
      for (const route of routes) {
        for (const [label, { scopes, created }] of tokens) {
          const want = expected(route.access, scopes);
          const got = (await call(created.token, route.method, route.url)).outcome;
          if (got !== want)
            failures.push(`${route.method} ${route.url} with ${label}: wanted ${want}, got ${got}`);
        }
        const admits = expected(route.access, API_TOKEN_SCOPES) === 'admitted';
        // Another workspace's token: that workspace answers as if it did not exist.
        const fromElsewhere = (await call(foreign.token, route.method, route.url)).answer;
        if (fromElsewhere !== (admits ? '404 not_found' : '403 token_not_accepted')) {
          failures.push(`${route.method} ${route.url} with another workspace's token: got ${fromElsewhere}`);
        }
        const afterRevoke = (await call(revoked.token, route.method, route.url)).answer;
        if (afterRevoke !== (admits ? '401 token_invalid' : '403 token_not_accepted')) {
          failures.push(`${route.method} ${route.url} with a revoked token: got ${afterRevoke}`);
        }
      }
      expect(failures).toEqual([]);
    },
  );

  it('names only known scopes, and every scope that a route uses is one a token can hold', () => {
    const used = new Set(
      s.server.app.routeCatalog.flatMap((r) =>
        r.access.kind === 'member' && r.access.tokenScope ? [r.access.tokenScope] : [],
      ),
    );
    for (const scope of used) expect(API_TOKEN_SCOPES).toContain(scope);
    expect(used.has('conversations:read')).toBe(true);
    expect(used.has('messages:write')).toBe(true);
    expect(used.has('visitors:read')).toBe(true);
  });
});
