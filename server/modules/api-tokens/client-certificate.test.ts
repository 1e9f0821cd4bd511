import { createHash, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, tokenCall } from '../../../test/support/api-tokens.js';
import {
  type ClientCertificates,
  createClientCertificates,
  httpsRequest,
} from '../../../test/support/client-certs.js';
import { http, setupAdmin, type TestAgent } from '../../../test/support/clients.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { createTestCertificates, type TestCertificates } from '../../../test/support/tls-certs.js';

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256; // AB:CD:… as openssl prints it
const hex = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');

describe.each(DIALECTS)('API tokens bound to a client certificate (%s)', (dialect) => {
  let certs: ClientCertificates;
  let serverCerts: TestCertificates;

  beforeAll(() => {
    certs = createClientCertificates();
    serverCerts = createTestCertificates();
  });
  afterAll(() => {
    certs.remove();
    serverCerts.remove();
  });

  describe('when Parley terminates TLS', () => {
    let database: TestDatabase;
    /** Administrators work through a plain node on the same database; API calls go to the TLS node. */
    let server: TestServer;
    let tlsNode: TestServer;
    let admin: TestAgent;
    let conversations: string;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      server = await startTestServer({ database });
      tlsNode = await startTestServer({
        database,
        migrate: false,
        tls: { certFile: serverCerts.certFile, keyFile: serverCerts.keyFile },
        env: { PARLEY_TLS_REQUEST_CLIENT_CERT: 'true' },
      });
      admin = await setupAdmin(server);
      conversations = `${tlsNode.url}/api/v1/workspaces/${admin.workspaceId}/conversations`;
    });
    afterAll(async () => {
      await tlsNode.close();
      await server.close();
      await database.drop();
    });

    const call = (token: string, client?: ClientCertificates['client']) =>
      httpsRequest(conversations, {
        ca: serverCerts.ca,
        ...(client ? { client } : {}),
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      });

    it('accepts a fingerprint-bound token only with that certificate', async () => {
      const { token, apiToken } = await createToken(server, admin, ['conversations:read'], {
        certificate: { sha256: fingerprint(certs.client.cert), caPem: null },
      });
      expect(apiToken.certificate).toEqual({
        sha256: hex(certs.client.cert),
        caSubject: null,
        caSha256: null,
      });
      expect((await call(token, certs.client)).status).toBe(200);
      for (const other of [undefined, certs.sibling, certs.stranger]) {
        const refused = await call(token, other);
        expect([refused.status, refused.body.error.code]).toEqual([401, 'client_certificate_required']);
      }
    });

    it('accepts a CA-bound token with any certificate that CA issued, and no other', async () => {
      const { token } = await createToken(server, admin, ['conversations:read'], {
        certificate: { sha256: null, caPem: certs.caPem },
      });
      expect((await call(token, certs.client)).status).toBe(200);
      expect((await call(token, certs.sibling)).status).toBe(200);
      expect((await call(token, certs.stranger)).body.error.code).toBe('client_certificate_required');
      expect((await call(token)).body.error.code).toBe('client_certificate_required');
    });

    it('leaves unbound tokens and browsers without a certificate as they were, and audits refusals', async () => {
      const { token, apiToken } = await createToken(server, admin, ['conversations:read']);
      expect(apiToken.certificate).toBeNull();
      expect((await call(token)).status).toBe(200);
      const health = await httpsRequest(`${tlsNode.url}/api/v1/auth/me`, { ca: serverCerts.ca });
      expect(health.status).toBe(401); // a normal answer: the handshake did not need a certificate
      const audit = await http(server, 'GET', `/api/v1/workspaces/${admin.workspaceId}/audit?limit=200`, {
        cookie: admin.cookie,
      });
      const refusals = audit.body.items.filter(
        (e: { action: string }) => e.action === 'token.certificate_refused',
      );
      expect(refusals.length).toBeGreaterThanOrEqual(5);
    });

    it('lets an administrator bind and unbind an existing token, with clear messages for mistakes', async () => {
      const { token, apiToken } = await createToken(server, admin, ['conversations:read']);
      const bind = (body: unknown) =>
        http(server, 'PUT', `/api/v1/workspaces/${admin.workspaceId}/api-tokens/${apiToken.id}/certificate`, {
          cookie: admin.cookie,
          body,
        });
      const both = await bind({ sha256: hex(certs.client.cert), caPem: certs.caPem });
      expect([both.status, both.body.error.code]).toEqual([400, 'invalid_request']);
      const notCa = await bind({ sha256: null, caPem: certs.client.cert });
      expect(notCa.body.error.message).toMatch(/CA certificate/);
      const short = await bind({ sha256: 'ab'.repeat(31), caPem: null });
      expect(short.status).toBe(400);
      expect((await bind({ sha256: hex(certs.client.cert), caPem: null })).status).toBe(200);
      expect((await call(token)).body.error.code).toBe('client_certificate_required');
      expect((await bind({ sha256: null, caPem: null })).body.certificate).toBeNull();
      expect((await call(token)).status).toBe(200);
    });
  });

  describe('behind a TLS proxy that forwards the certificate in a header', () => {
    const HEADER = 'x-client-cert';
    let database: TestDatabase;
    let trusting: TestServer;
    let distrusting: TestServer;
    let boundToken: string;
    let workspaceId: string;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      trusting = await startTestServer({
        database,
        env: { PARLEY_TRUSTED_PROXIES: '127.0.0.1', PARLEY_CLIENT_CERT_HEADER: HEADER },
      });
      // A second node on the same database whose trusted proxy is elsewhere: the test client is untrusted there.
      distrusting = await startTestServer({
        database,
        migrate: false,
        env: { PARLEY_TRUSTED_PROXIES: '192.0.2.10', PARLEY_CLIENT_CERT_HEADER: HEADER },
      });
      const admin = await setupAdmin(trusting);
      workspaceId = admin.workspaceId;
      boundToken = (
        await createToken(trusting, admin, ['conversations:read'], {
          certificate: { sha256: hex(certs.client.cert), caPem: null },
        })
      ).token;
    });
    afterAll(async () => {
      await distrusting.close();
      await trusting.close();
      await database.drop();
    });

    const call = (server: TestServer, cert?: string) =>
      http(server, 'GET', `/api/v1/workspaces/${workspaceId}/conversations`, {
        origin: null,
        headers: {
          authorization: `Bearer ${boundToken}`,
          ...(cert ? { [HEADER]: encodeURIComponent(cert) } : {}),
        },
      });

    it('accepts the certificate from a trusted proxy address, and only the bound one', async () => {
      expect((await call(trusting, certs.client.cert)).status).toBe(200);
      expect((await call(trusting, certs.stranger.cert)).body.error.code).toBe('client_certificate_required');
      expect((await call(trusting)).body.error.code).toBe('client_certificate_required');
      const garbage = await tokenCall(
        trusting,
        boundToken,
        'GET',
        `/api/v1/workspaces/${workspaceId}/conversations`,
      );
      expect(garbage.status).toBe(401);
    });

    it('ignores the header from an address that is not a trusted proxy', async () => {
      const res = await call(distrusting, certs.client.cert);
      expect([res.status, res.body.error.code]).toEqual([401, 'client_certificate_required']);
    });
  });
});
