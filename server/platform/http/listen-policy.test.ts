import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificates, type TestCertificates } from '../../../test/support/tls-certs.js';
import { ConfigError, loadConfig } from '../../config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

/** Where Parley agrees to listen, and how it must be reached, decided at start before any socket opens. */
describe('listen policy', () => {
  let certs: TestCertificates;
  beforeAll(() => {
    certs = createTestCertificates();
  });
  afterAll(() => certs?.remove());

  it('refuses every non-loopback address without TLS or a named TLS proxy, IPv4 and IPv6 alike', () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10', '10.0.0.5', '2001:db8::1', '::ffff:192.0.2.10']) {
      const problems = problemsOf({ PARLEY_HOST: host, PARLEY_PUBLIC_URL: 'https://chat.example.com' });
      expect(problems.join('\n'), host).toMatch(/Refusing to listen on .* without TLS/);
    }
  });

  it('listens on loopback without TLS', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost'])
      expect(problemsOf({ PARLEY_HOST: host }), host).toEqual([]);
  });

  it('listens anywhere with TLS files, defaulting the public URL to https', () => {
    const c = loadConfig({
      PARLEY_HOST: '0.0.0.0',
      PARLEY_TLS_CERT: certs.certFile,
      PARLEY_TLS_KEY: certs.keyFile,
    });
    expect(c.tls).not.toBeNull();
    expect(c.publicOrigin).toBe('https://127.0.0.1:8080');
    expect(problemsOf({ PARLEY_HOST: '0.0.0.0', PARLEY_TLS_CERT: certs.certFile })).toEqual([
      'Set both PARLEY_TLS_CERT and PARLEY_TLS_KEY, or neither.',
      expect.stringMatching(/without TLS/),
    ]);
    expect(problemsOf({ PARLEY_TLS_CERT: '/nonexistent.pem', PARLEY_TLS_KEY: certs.keyFile }).join()).toMatch(
      /Cannot read TLS file/,
    );
  });

  it('listens anywhere behind a named TLS proxy, given as addresses or CIDR ranges', () => {
    for (const proxies of ['10.0.0.5', '10.0.0.0/24, 2001:db8::/64']) {
      const c = loadConfig({
        PARLEY_HOST: '0.0.0.0',
        PARLEY_TRUSTED_PROXIES: proxies,
        PARLEY_PUBLIC_URL: 'https://chat.example.com',
      });
      expect(c.trustedProxies.join(', ')).toBe(proxies);
    }
    expect(problemsOf({ PARLEY_TRUSTED_PROXIES: 'proxy.internal' }).join()).toMatch(/PARLEY_TRUSTED_PROXIES/);
  });

  it('requires an https public URL off loopback, with TLS, and with the redirect listener', () => {
    expect(problemsOf({ PARLEY_PUBLIC_URL: 'http://chat.example.com' }).join()).toMatch(/must be https/);
    expect(
      problemsOf({
        PARLEY_TLS_CERT: certs.certFile,
        PARLEY_TLS_KEY: certs.keyFile,
        PARLEY_PUBLIC_URL: 'http://127.0.0.1:8080',
      }).join(),
    ).toMatch(/must be https/);
    expect(problemsOf({ PARLEY_HTTP_REDIRECT_PORT: '8081' }).join()).toMatch(/must be https/);
  });

  it('takes a redirect port that differs from the main port', () => {
    const tls = { PARLEY_TLS_CERT: certs.certFile, PARLEY_TLS_KEY: certs.keyFile, PARLEY_PORT: '8443' };
    expect(loadConfig({ ...tls, PARLEY_HTTP_REDIRECT_PORT: '8080' }).httpRedirectPort).toBe(8080);
    expect(loadConfig(tls).httpRedirectPort).toBeNull();
    expect(problemsOf({ ...tls, PARLEY_HTTP_REDIRECT_PORT: '8443' }).join()).toMatch(/must differ/);
    expect(problemsOf({ ...tls, PARLEY_HTTP_REDIRECT_PORT: '70000' }).join()).toMatch(
      /PARLEY_HTTP_REDIRECT_PORT/,
    );
  });
});
