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

/**
 * clamd with the EICAR test signature, as scripts/start-test-clamd.sh starts it (CI does): on a Unix
 * socket and on TCP. Reachable means it answered PING on both.
 */
export const CLAMD_SOCKET = process.env.PARLEY_TEST_CLAMD_SOCKET ?? '/tmp/parley-clamd/clamd.sock';
export const CLAMD_TCP = { host: '127.0.0.1', port: Number(process.env.PARLEY_TEST_CLAMD_PORT ?? 3319) };

function clamdPongs(target: { path: string } | { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = net.connect({ ...target, timeout: 2000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => socket.write('zPING\0'));
    socket.on('data', (d) => {
      reply += d.toString('latin1');
      if (reply.includes('\0')) done(reply.startsWith('PONG'));
    });
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
    socket.once('close', () => done(false));
  });
}

async function clamdAvailable(): Promise<boolean> {
  if ((await clamdPongs({ path: CLAMD_SOCKET })) && (await clamdPongs(CLAMD_TCP))) return true;
  const where = `unix:${CLAMD_SOCKET} and tcp://${CLAMD_TCP.host}:${CLAMD_TCP.port}`;
  if (IN_CI) throw new Error(`clamd is required in CI but does not answer at ${where}.`);
  console.warn(
    `clamd does not answer at ${where} (scripts/start-test-clamd.sh): its tests are skipped locally.`,
  );
  return false;
}

/** Only the malware-scanning tests need clamd; they import this. */
export const hasClamd = () => clamdAvailable();

/** The dialects every storage-touching test runs against. */
export const DIALECTS: Array<'sqlite' | 'postgres'> = hasPostgres ? ['sqlite', 'postgres'] : ['sqlite'];
