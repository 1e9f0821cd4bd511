import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer } from './test-server.js';

/**
 * Two Parley nodes sharing one PostgreSQL database and one Redis, as behind a load balancer (node B
 * shares A's public name), started before the suite's tests and stopped after them. Call it inside a
 * `describe` that is skipped without PostgreSQL and Redis; read `nodes.a` and `nodes.b` in the tests.
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
