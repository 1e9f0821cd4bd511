import type { TSchema } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../../../protocol/errors.js';
import {
  connectVisitor,
  createWidget,
  http,
  login,
  type Probe,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { fuzzSeed, HOSTILE_JSON, mutateOne, Rng, valueFor } from '../../../test/support/fuzz.js';
import { type RawResponse, rawRequest } from '../../../test/support/raw-http.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';

const CASES = 300;
const DOCUMENTED = new Set(Object.keys(ERROR_MESSAGES));
/** Path parameter values a client could send instead of an id. */
const HOSTILE_PARAMS = [
  '%00',
  '%E0%A4%A',
  '%ED%A0%80',
  'a'.repeat(150),
  '..',
  '%2e%2e%2f',
  'null',
  '0',
  '00000000-0000-4000-8000-000000000000',
  'DROP%20TABLE',
  '%F0%9F%92%AC',
];

/**
 * Every route in the catalog, called with bodies, query strings and path parameters made from its
 * own schemas and with hostile values: only documented error codes, never a 5xx, and the node keeps
 * serving (a bystander socket keeps its pongs). Seeded: the seed is printed, PARLEY_FUZZ_SEED replays.
 */
describe.each(DIALECTS)('HTTP fuzz (%s)', (dialect) => {
  let s: Scenario;
  let admin: TestAgent;
  let bystander: Probe;
  const seed = fuzzSeed() + (dialect === 'postgres' ? 1 : 0);

  beforeAll(async () => {
    s = await startScenario(dialect);
    admin = s.admin;
    // The bystander is a visitor of another widget, whose ids the fuzz never uses.
    const other = await startVisitor(
      s.server,
      await createWidget(s.server, s.admin, ['https://other.example.com']),
    );
    bystander = await connectVisitor(s.server, other.credential);
  });
  afterAll(async () => {
    bystander?.close();
    await s?.close();
  });

  it(`answers every generated request with a documented outcome (seed ${seed})`, async () => {
    console.log(
      `HTTP fuzz (${dialect}): seed ${seed}; replay with PARLEY_FUZZ_SEED=${seed - (dialect === 'postgres' ? 1 : 0)}`,
    );
    const rng = new Rng(seed);
    const ids = [
      admin.workspaceId,
      s.widget.id,
      s.visitor.conversationId,
      s.visitor.visitor.id,
      admin.me.user.id,
    ];
    // HEAD repeats GET; writes are where input reaches storage, so they are drawn more often.
    const routes = s.server.app.routeCatalog.filter((r) => r.access.kind !== 'socket' && r.method !== 'HEAD');
    const writes = routes.filter((r) => r.method !== 'GET');
    const failures: string[] = [];
    for (let i = 0; i < CASES; i += 1) {
      const route = rng.chance(0.6) ? rng.pick(writes) : rng.pick(routes);
      const schema = route.schema as { body?: TSchema; querystring?: TSchema; params?: TSchema };
      const path = route.url
        .replace(/:([A-Za-z]+)/g, (_m, name: string) => {
          if (name === 'workspaceId' && rng.chance(0.8)) return admin.workspaceId;
          return rng.chance(0.6) ? rng.pick(ids) : rng.pick(HOSTILE_PARAMS);
        })
        .replace('*', rng.chance(0.7) ? 'app.js' : rng.pick(HOSTILE_PARAMS));
      const query = queryFor(schema.querystring, rng, ids);
      const write = route.method !== 'GET' && route.method !== 'HEAD';
      let body: string | undefined;
      if (write) {
        const roll = rng.next();
        const valid = schema.body ? valueFor(schema.body, rng, ids, 0) : {};
        // A raw hostile text; a body valid but for one field; or one made with hostile values anywhere.
        if (roll < 0.15) body = rng.pick(HOSTILE_JSON);
        else if (roll < 0.65) body = JSON.stringify(mutateOne(valid, rng));
        else if (roll < 0.85) body = JSON.stringify(valid);
        else body = JSON.stringify(schema.body ? valueFor(schema.body, rng, ids) : {});
      }
      const as = rng.next();
      const headers: Record<string, string> = { origin: s.server.origin, accept: 'application/json' };
      if (as < 0.75) headers.cookie = admin.cookie;
      else if (as < 0.9) headers.authorization = `Bearer ${s.visitor.credential}`;
      const label = `#${i} ${route.method} ${path.slice(0, 120)}${query.slice(0, 80)} ${String(body).slice(0, 120)}`;
      let res: RawResponse;
      try {
        res = await rawRequest(s.server.url, {
          method: route.method,
          path: `${path}${query}`,
          headers,
          ...(body !== undefined ? { body } : {}),
        });
      } catch (err) {
        failures.push(`${label}: no answer (${(err as Error).message})`);
        continue;
      }
      if (res.status >= 500) failures.push(`${label}: ${res.status} ${res.body.slice(0, 200)}`);
      const code = res.json?.error?.code;
      if (
        res.status >= 400 &&
        route.method !== 'HEAD' &&
        route.url.startsWith('/api/') &&
        !DOCUMENTED.has(code)
      )
        failures.push(`${label}: undocumented answer ${res.status} ${res.body.slice(0, 200)}`);
      // A case may have ended the administrator's session (sign-out routes): sign in again.
      if (
        i % 20 === 19 &&
        (await http(s.server, 'GET', '/api/v1/auth/me', { cookie: admin.cookie })).status !== 200
      )
        admin = { ...admin, ...(await login(s.server, 'admin@example.com')) };
    }
    expect(failures).toEqual([]);
    expect((await http(s.server, 'GET', '/healthz')).status).toBe(200);
    bystander.send({ type: 'ping', rid: 'after-http-fuzz' });
    await bystander.until((p) => p.of('pong').some((f) => f.rid === 'after-http-fuzz'), 'the bystander pong');
    expect(bystander.closed).toBeNull();
  }, 180_000);
});

function queryFor(schema: TSchema | undefined, rng: Rng, ids: readonly string[]): string {
  const params: string[] = [];
  if (schema && rng.chance(0.8)) {
    const valid = valueFor(schema, rng, ids, 0);
    const value = (rng.chance(0.5) ? mutateOne(valid, rng) : valid) as Record<string, unknown> | null;
    if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) params.push(`${encodeQuery(k)}=${encodeQuery(v)}`);
  }
  if (rng.chance(0.3)) {
    const key = rng.pick(['limit', 'before', 'afterSeq', 'q', 'status', '__proto__', 'x', 'limit[]']);
    const raw = rng.pick(['2.9', '1e309', '0x3', '-1', '%00', '%ED%A0%80', '%ZZ', 'a'.repeat(3000), '']);
    params.push(`${key}=${raw}`);
    if (rng.chance(0.3)) params.push(`${key}=${raw}`);
  }
  return params.length > 0 ? `?${params.join('&')}` : '';
}

/** Query values as a client would encode them; half a surrogate pair cannot be, so its bytes are sent. */
function encodeQuery(value: unknown): string {
  try {
    return encodeURIComponent(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
  } catch {
    return '%ED%A0%80';
  }
}
