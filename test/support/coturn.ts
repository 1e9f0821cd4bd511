import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv } from './clean-env.js';

/**
 * A real TURN server (Debian's coturn) of the test's own: a temp config with the shared-secret
 * scheme (`use-auth-secret`, `static-auth-secret`), on loopback, a free listening port and a relay
 * port range of its own. Locally, tests skip when coturn is not installed; in CI (CI=true) they fail.
 */
const TURNSERVER = '/usr/bin/turnserver';
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

function coturnInstalled(): boolean {
  if (existsSync(TURNSERVER)) return true;
  if (IN_CI)
    throw new Error(`coturn is required in CI but ${TURNSERVER} is missing (apt-get install coturn).`);
  console.warn('coturn is not installed: the TURN tests are skipped locally.');
  return false;
}

export const hasCoturn = coturnInstalled();

export interface TestTurnServer {
  /** `turn:127.0.0.1:<port>?transport=udp` */
  url: string;
  secret: string;
  /** The ports its relayed candidates are on: a candidate there went through this server. */
  relayPorts: { min: number; max: number };
  /** What it logged, for a failing test's message. */
  log(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`turnserver exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('turnserver did not start listening');
}

export async function startTurnServer(): Promise<TestTurnServer> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-coturn-'));
  const port = await freePort();
  const secret = randomBytes(32).toString('hex');
  // A relay range of its own, away from the ephemeral ports other tests' sockets take.
  const minPort = 20_000 + Math.floor(Math.random() * 400) * 50;
  const conf = join(dir, 'turnserver.conf');
  writeFileSync(
    conf,
    [
      `listening-ip=127.0.0.1`,
      `relay-ip=127.0.0.1`,
      `listening-port=${port}`,
      `min-port=${minPort}`,
      `max-port=${minPort + 49}`,
      'use-auth-secret',
      `static-auth-secret=${secret}`,
      'realm=parley.test',
      'no-tls',
      'no-dtls',
      'no-cli',
      'no-multicast-peers',
      // Both browsers are on this machine: their relayed media goes to loopback peers.
      'allow-loopback-peers',
      'fingerprint',
      `pidfile=${join(dir, 'turnserver.pid')}`,
      // Its own (empty) user database: the shared secret is the only way in.
      `userdb=${join(dir, 'turndb')}`,
      'log-file=stdout',
      'simple-log',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const child = spawn(TURNSERVER, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv() });
  let log = '';
  const keep = (chunk: Buffer) => {
    log += chunk.toString('utf8');
    if (log.length > 1_000_000) log = log.slice(-500_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  await waitForPort(port, child);
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    relayPorts: { min: minPort, max: minPort + 49 },
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
