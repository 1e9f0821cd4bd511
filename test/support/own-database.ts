import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb } from '../../server/platform/db/create-db.js';
import { POSTGRES_URL } from './services.js';
import type { TestDatabase } from './test-server.js';

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A PostgreSQL database of the test's own (not a schema of the shared one): a node started from the
 * command line migrates the database's default schema, and a test that terminates backends can pick
 * exactly its own by database name.
 */
export async function createOwnDatabase(
  prefix = 'parley_t',
): Promise<TestDatabase & { name: string; url: string }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(POSTGRES_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  const database = { kind: 'postgres', url } as const;
  return {
    name,
    url,
    dialect: 'postgres',
    database,
    open: () => createDb(database, { applicationName: `parley ${name}` }),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Ends every backend of a database, as a PostgreSQL restart, failover or pooler restart does. */
export async function terminateBackendsOf(name: string): Promise<number> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const res = await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    return res.rowCount ?? 0;
  } finally {
    await client.end();
  }
}
