import { createDb, type DbHandle } from '../../server/platform/db/create-db.js';
import { POSTGRES_URL } from './services.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import type { TestDatabase } from './test-server.js';

/**
 * A handle on a test database's PostgreSQL schema through a relay that counts the node's round trips
 * (`proxy.turns()`), named after the schema in pg_stat_activity.
 */
export async function countedPostgres(
  database: TestDatabase,
): Promise<{ proxy: TcpProxy; handle: DbHandle }> {
  const target = new URL(POSTGRES_URL);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  target.host = `127.0.0.1:${proxy.port}`;
  const handle = createDb(
    { kind: 'postgres', url: target.toString() },
    { schema: database.schema, applicationName: `parley ${database.schema}` },
  );
  return { proxy, handle };
}
