import net from 'node:net';

/**
 * Real PostgreSQL and Redis for the tests. Locally a missing service makes its tests skip; in CI
 * (CI=true) a missing service fails the run, so nothing is silently skipped there.
 */
export const POSTGRES_URL =
  process.env.PARLEY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol.startsWith('redis') ? 6379 : 5432));
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port, timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function available(name: string, url: string): Promise<boolean> {
  if (await reachable(url)) return true;
  if (IN_CI) throw new Error(`${name} is required in CI but is not reachable at ${url}.`);
  console.warn(`${name} is not reachable at ${url}: its tests are skipped locally.`);
  return false;
}

export const hasPostgres = await available('PostgreSQL', POSTGRES_URL);
export const hasRedis = await available('Redis', REDIS_URL);

/** The dialects every storage-touching test runs against. */
export const DIALECTS: Array<'sqlite' | 'postgres'> = hasPostgres ? ['sqlite', 'postgres'] : ['sqlite'];
