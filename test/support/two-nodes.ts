import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer } from './test-server.js';

/**
 * Two Parley nodes sharing one PostgreSQL database and one Redis, started before the suite's tests
 * and stopped after them. Each keeps its own address, and so its own public URL: what Redis keeps
 * under the public host (request limits, shared counters) is counted per node here. A test of a
 * limit across nodes puts both behind one address (calls-two-nodes.test.ts with load-balancer.ts).
 * Call it inside a `describe` that is skipped without PostgreSQL and Redis; read `nodes.a` and
 * `nodes.b` in the tests.
 */
export function twoNodesOnPostgres(): { readonly a: TestServer; readonly b: TestServer } {
  let database: TestDatabase | undefined;
  const nodes = {} as { a: TestServer; b: TestServer };
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    nodes.a = await startTestServer({ database, redis: true });
    nodes.b = await startTestServer({ database, redis: true, migrate: false });
  });
  afterAll(async () => {
    await nodes.a?.close();
    await nodes.b?.close();
    await database?.drop();
  });
  return nodes;
}
