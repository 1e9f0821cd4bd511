import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../../../test/support/raw-http.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { createTestCertificates, type TestCertificates } from '../../../test/support/tls-certs.js';
import { createRedirectServer } from './https-redirect.js';

/** The outcome of one TLS handshake: the negotiated protocol, or the error that ended it. */
function handshake(
  port: number,
  ca: Buffer,
  options: {
    minVersion?: 'TLSv1' | 'TLSv1.2';
    maxVersion: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
    ciphers?: string;
  },
): Promise<{ protocol: string | null; error: string | null }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca, ...options }, () => {
      const protocol = socket.getProtocol();
      socket.end();
      resolve({ protocol, error: null });
    });
    socket.once('error', (err: NodeJS.ErrnoException) =>
      resolve({ protocol: null, error: err.code ?? err.message }),
    );
  });
}

// An old client: TLS 1.0/1.1 are below OpenSSL 3's default security level, so the client must lower
// it to even offer them; otherwise a refusal would prove nothing about the server.
const TLS11_CLIENT = { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' } as const;

describe('HTTPS', () => {
  let certs: TestCertificates;
  let database: TestDatabase;
  let server: TestServer;
  let port: number;
  let permissive: Server;

  beforeAll(async () => {
    certs = createTestCertificates();
    database = await createTestDatabase('sqlite');
    server = await startTestServer({ database, host: 'localhost', tls: certs });
    port = Number(new URL(server.url).port);
    // The control: a server that does accept old protocols and CBC suites, with the same certificate.
    permissive = createServer({
      cert: await import('node:fs').then((fs) => fs.readFileSync(certs.certFile)),
      key: await import('node:fs').then((fs) => fs.readFileSync(certs.keyFile)),
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    permissive.on('secureConnection', (s) => s.end());
    await new Promise<void>((resolve) => permissive.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
    await new Promise((resolve) => permissive?.close(resolve));
    certs?.remove();
  });

  it('negotiates TLS 1.3 and TLS 1.2', async () => {
    expect(await handshake(port, certs.ca, { maxVersion: 'TLSv1.3' })).toEqual({
      protocol: 'TLSv1.3',
      error: null,
    });
    expect(await handshake(port, certs.ca, { maxVersion: 'TLSv1.2' })).toEqual({
      protocol: 'TLSv1.2',
      error: null,
    });
  });

  it('refuses TLS 1.1 (and older) clients', async () => {
    const controlPort = (permissive.address() as AddressInfo).port;
    expect(await handshake(controlPort, certs.ca, TLS11_CLIENT)).toEqual({
      protocol: 'TLSv1.1',
      error: null,
    });
    const refused = await handshake(port, certs.ca, TLS11_CLIENT);
    expect(refused.protocol).toBeNull();
    expect(refused.error).toMatch(/VERSION|PROTOCOL/);
  });

  it('offers only forward-secret AEAD suites in TLS 1.2: a CBC-only client is refused', async () => {
    const cbc = {
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA',
    } as const;
    const controlPort = (permissive.address() as AddressInfo).port;
    expect((await handshake(controlPort, certs.ca, cbc)).protocol).toBe('TLSv1.2');
    const refused = await handshake(port, certs.ca, cbc);
    expect(refused.protocol).toBeNull();
    expect(refused.error).toMatch(/HANDSHAKE_FAILURE|NO_SHARED_CIPHER|CIPHER/);
  });

  it('sends HSTS for one year, including subdomains', async () => {
    const res = await rawRequest(`${server.url}/api/v1/setup`, { ca: certs.ca });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('HTTP to HTTPS redirect listener', () => {
  const config = { publicUrl: 'https://chat.example.com', publicOrigin: 'https://chat.example.com' };
  let redirect: ReturnType<typeof createRedirectServer>;
  let base: string;

  beforeAll(async () => {
    redirect = createRedirectServer(config);
    await new Promise<void>((resolve) => redirect.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(redirect.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    redirect.closeAllConnections();
    await new Promise((resolve) => redirect.close(resolve));
  });

  it('redirects every path of the public host name to the same path over HTTPS, and serves nothing', async () => {
    for (const [method, status] of [
      ['GET', 301],
      ['HEAD', 301],
      ['POST', 308],
      ['DELETE', 308],
    ] as const) {
      const res = await rawRequest(base, {
        method,
        path: '/inbox/abc?x=1&y=%2F',
        headers: { host: 'Chat.Example.com' },
      });
      expect(res.status, method).toBe(status);
      expect(res.headers.location).toBe('https://chat.example.com/inbox/abc?x=1&y=%2F');
      expect(res.body).toBe('');
    }
    const api = await rawRequest(base, { path: '/api/v1/auth/me', headers: { host: 'chat.example.com:80' } });
    expect(api.status).toBe(301);
    expect(api.headers.location).toBe('https://chat.example.com/api/v1/auth/me');
  });

  it('answers other host names with 421 and odd request targets with 400, never with a redirect', async () => {
    const other = await rawRequest(base, { path: '/', headers: { host: 'evil.example' } });
    expect(other.status).toBe(421);
    expect(other.headers.location).toBeUndefined();
    const none = await rawRequest(base, { path: '/', headers: { host: '' } });
    expect(none.status).toBe(421);
    const absolute = await rawRequest(base, {
      path: 'http://evil.example/',
      headers: { host: 'chat.example.com' },
    });
    expect(absolute.status).toBe(400);
    expect(absolute.headers.location).toBeUndefined();
    const protocolRelative = await rawRequest(base, {
      path: '//evil.example/x',
      headers: { host: 'chat.example.com' },
    });
    expect(protocolRelative.status).toBe(400);
  });
});
