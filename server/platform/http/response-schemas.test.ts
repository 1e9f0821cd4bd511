import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { responseSerializerCompiler } from './response-schemas.js';

type Schema = Record<string, unknown>;
const SCALARS = new Set(['string', 'number', 'integer', 'boolean', 'null']);
/**
 * The only places a response may carry values the schema does not name one by one: maps of
 * scalars (audit details, custom fields) and, in a visitor's own data export, the values a flow
 * checkpoint recorded for them (the export hands over everything held, by design).
 */
const OPEN_VALUES_ALLOWED = ['GET /api/v1/workspaces/:workspaceId/visitors/:visitorId/export'];

const isScalar = (s: Schema): boolean =>
  (typeof s.type === 'string' && SCALARS.has(s.type)) ||
  s.const !== undefined ||
  (Array.isArray(s.anyOf) && (s.anyOf as Schema[]).every(isScalar));

/** Every place in a schema that would let an unnamed field or value through. */
function openings(schema: Schema, path: string, allowOpenValues: boolean, out: string[]): string[] {
  const anyOf = (schema.anyOf ?? schema.oneOf ?? schema.allOf) as Schema[] | undefined;
  if (anyOf) for (const s of anyOf) openings(s, path, allowOpenValues, out);
  if (schema.type === 'array') openings(schema.items as Schema, `${path}[]`, allowOpenValues, out);
  if (schema.type === 'object') {
    const pattern = schema.patternProperties as Record<string, Schema> | undefined;
    if (pattern) {
      for (const value of Object.values(pattern))
        if (!isScalar(value) && !allowOpenValues) out.push(`${path}: a map of non-scalar values`);
    } else if (schema.additionalProperties !== false) out.push(`${path}: additionalProperties is not false`);
    for (const [key, value] of Object.entries((schema.properties ?? {}) as Record<string, Schema>))
      openings(value, `${path}.${key}`, allowOpenValues, out);
  }
  if (schema.type === undefined && !anyOf && schema.const === undefined && !allowOpenValues)
    out.push(`${path}: any value`);
  return out;
}

/** A value of the schema's shape with a stray `leak` field in every object it has. */
function sample(schema: Schema, leak: boolean): unknown {
  const anyOf = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (anyOf) return sample(anyOf.find((s) => s.type !== 'null') ?? (anyOf[0] as Schema), leak);
  if (schema.const !== undefined) return schema.const;
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries((schema.properties ?? {}) as Record<string, Schema>))
        out[key] = sample(value, leak);
      if (schema.patternProperties) out.k = 'v';
      // A map's keys are data; a record's stray key is what must not pass.
      if (leak && !schema.patternProperties) out.leak = 'secret';
      return out;
    }
    case 'array':
      return [sample(schema.items as Schema, leak)];
    case 'string': {
      if (typeof schema.pattern !== 'string') return 's';
      const re = new RegExp(schema.pattern as string);
      const fits = [
        '00000000-0000-4000-8000-000000000000',
        's',
        '12:00',
        '2026-01-01',
        'https://example.com/',
      ].find((c) => re.test(c));
      if (!fits) throw new Error(`no sample for pattern ${schema.pattern}`);
      return fits;
    }
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return 'v';
  }
}

describe('response schemas', () => {
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await startTestServer({ database });
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  /** Every route's JSON success schemas, by `METHOD url status`. */
  const jsonSchemas = () => {
    const out: [string, Schema][] = [];
    for (const route of server.app.routeCatalog) {
      if (route.method === 'HEAD' || route.access.kind === 'socket') continue;
      const response = (route.schema.response ?? {}) as Record<string, Schema>;
      for (const [status, schema] of Object.entries(response)) {
        if (!status.startsWith('2')) continue;
        const content = schema.content as Record<string, { schema: Schema }> | undefined;
        const json = content ? content['application/json']?.schema : schema;
        if (json) out.push([`${route.method} ${route.url} ${status}`, json]);
      }
    }
    return out;
  };

  it('every route declares a response schema for a success status', () => {
    const routes = server.app.routeCatalog.filter((r) => r.method !== 'HEAD' && r.access.kind !== 'socket');
    expect(routes.length).toBeGreaterThan(100);
    // A route that only redirects (the OpenID Connect start and callback) declares its 302, no body.
    const missing = routes
      .filter((r) => !Object.keys(r.schema.response ?? {}).some((status) => /^[23]/.test(status)))
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('every response object is closed and names its fields; non-JSON replies are declared as text', () => {
    const open: string[] = [];
    for (const route of server.app.routeCatalog) {
      if (route.method === 'HEAD') continue;
      const response = (route.schema.response ?? {}) as Record<string, Schema>;
      for (const [status, schema] of Object.entries(response)) {
        const key = `${route.method} ${route.url} ${status}`;
        const content = schema.content as Record<string, { schema: Schema }> | undefined;
        for (const [media, { schema: s }] of Object.entries(content ?? { 'application/json': { schema } })) {
          if (media === 'application/json')
            openings(s, key, OPEN_VALUES_ALLOWED.includes(`${route.method} ${route.url}`), open);
          else expect(s.type, `${key} ${media}`).toBe('string');
        }
      }
    }
    expect(open).toEqual([]);
  });

  it('a stray field anywhere in a reply is dropped by the serialiser, and every named field is kept', () => {
    const schemas = jsonSchemas();
    expect(schemas.length).toBeGreaterThan(100);
    for (const [key, schema] of schemas) {
      if (schema.type === 'null') continue;
      const serialise = responseSerializerCompiler({
        schema: schema as never,
        method: 'GET',
        url: '/',
        httpStatus: '200',
      });
      const out = serialise(sample(schema, true));
      expect(out, key).not.toContain('leak');
      expect(JSON.parse(out), key).toEqual(sample(schema, false));
    }
  });

  it('a real reply carries exactly the fields its schema names', async () => {
    const res = await fetch(`${server.url}/api/v1/setup`, { headers: { accept: 'application/json' } });
    expect(Object.keys(await res.json())).toEqual(['needsSetup']);
  });
});
