import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv } from '../../../test/support/clean-env.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { createTestCertificates, type TestCertificates } from '../../../test/support/tls-certs.js';
import { createRedirectServer } from './https-redirect.js';

const SCANNER = fileURLToPath(new URL('../../../test/support/observatory-scan.mjs', import.meta.url));

interface ScanOutput {
  grade: string;
  score: number;
  tests: Record<string, { pass: boolean; result: string; score: number }>;
  redirection: { pass: boolean; result: string; route: string[] } | null;
}

async function observatory(args: string[], caFile: string | null): Promise<ScanOutput> {
  const env = cleanEnv(caFile ? { NODE_EXTRA_CA_CERTS: caFile } : {});
  const { stdout } = await promisify(execFile)(process.execPath, [SCANNER, ...args], {
    env,
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as ScanOutput;
}

/**
 * MDN's HTTP Observatory grades the dashboard as a browser-facing site: CSP, cookies, CORS,
 * redirection, Referrer-Policy, HSTS, SRI, X-Content-Type-Options, X-Frame-Options, CORP.
 */
describe('HTTP Observatory', () => {
  let certs: TestCertificates;
  let database: TestDatabase;
  let server: TestServer;
  let redirect: ReturnType<typeof createRedirectServer>;
  let httpsPort: string;
  let httpPort: string;

  beforeAll(async () => {
    certs = createTestCertificates();
    database = await createTestDatabase('sqlite');
    server = await startTestServer({ database, host: 'localhost', tls: certs });
    httpsPort = new URL(server.url).port;
    redirect = createRedirectServer(server.config);
    await new Promise<void>((resolve) => redirect.listen(0, '127.0.0.1', resolve));
    httpPort = String((redirect.address() as AddressInfo).port);
  });
  afterAll(async () => {
    redirect?.closeAllConnections();
    await new Promise((resolve) => redirect?.close(resolve));
    await server?.close();
    await database?.drop();
    certs?.remove();
  });

  it('grades the dashboard over HTTPS A+, with every test passed and the HTTP listener redirecting', async () => {
    const scan = await observatory(['localhost', httpsPort, httpPort], certs.caFile);
    const failed = Object.entries(scan.tests).filter(([, t]) => !t.pass);
    expect(failed).toEqual([]);
    expect(scan.grade).toBe('A+');
    expect(scan.score).toBeGreaterThanOrEqual(100);
    expect(scan.tests['strict-transport-security']?.result).toBe(
      'hsts-implemented-max-age-at-least-six-months',
    );
    expect(scan.tests['content-security-policy']?.result).toBe('csp-implemented-with-no-unsafe');
    expect(scan.tests['x-frame-options']?.result).toBe('x-frame-options-implemented-via-csp');
    expect(scan.redirection).toEqual({
      pass: true,
      result: 'redirection-to-https',
      route: [`http://localhost:${httpPort}/`, `https://localhost:${httpsPort}/`],
    });
  });

  it('does notice when the certificate is not trusted (the grade above depends on a verified HTTPS)', async () => {
    const scan = await observatory(['localhost', httpsPort], null);
    expect(scan.tests['strict-transport-security']?.pass).toBe(false);
    expect(scan.grade).not.toBe('A+');
  });
});
