import type { TSchema } from '@sinclair/typebox';
import fastJsonStringify from 'fast-json-stringify';
import type { FastifyInstance, FastifySerializerCompiler } from 'fastify';
import { compiledOnce } from './compiled-once.js';

/**
 * Every route declares a response schema for each success status it answers, and Fastify
 * serialises the reply through it: the schema is an allow-list, so a field a presenter adds by
 * mistake (a hash, a sealed column, an unmasked address) never leaves the server. A 2xx that a
 * route did not declare would bypass that list: it is logged and remembered here, and the test
 * server fails any test that produced one (test/support/test-server.ts).
 */
export function registerResponseCheck(app: FastifyInstance): void {
  const undeclared = new Set<string>();
  app.decorate('undeclaredResponses', undeclared);
  app.addHook('onSend', async (request, reply, payload) => {
    const status = reply.statusCode;
    const url = request.routeOptions.url;
    if (status < 200 || status > 299 || url === undefined) return payload;
    const response = request.routeOptions.schema?.response as Record<string, unknown> | undefined;
    if (response && (String(status) in response || '2xx' in response)) return payload;
    const key = `${request.method} ${url} ${status}`;
    if (!undeclared.has(key)) {
      undeclared.add(key);
      request.log.error({ route: key }, 'response status without a response schema');
    }
    return payload;
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** `METHOD url status` of each 2xx answered without a declared response schema. */
    undeclaredResponses: ReadonlySet<string>;
  }
}

/**
 * Serialises replies with fast-json-stringify, which writes only the properties a schema names.
 * Inside a union (`T | null`) it first asks which branch the value matches; a closed branch
 * (`additionalProperties: false`) would then refuse a value carrying one stray field and fail the
 * whole reply, so branches are matched on their named properties and the stray field is dropped,
 * as it is everywhere else.
 */
export const responseSerializerCompiler: FastifySerializerCompiler<TSchema> = ({ schema }) =>
  serializerOf(schema);

const serializerOf = compiledOnce((schema: TSchema) =>
  fastJsonStringify(openBranches(schema) as Parameters<typeof fastJsonStringify>[0]),
);

function openBranches(schema: unknown, inBranch = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => openBranches(s, inBranch));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'additionalProperties' && inBranch && value === false) continue;
    out[key] = openBranches(value, inBranch || key === 'anyOf' || key === 'oneOf');
  }
  return out;
}
