import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

/** Mail settings: off by default, and refused at start when half set, rather than half working. */
describe('email settings', () => {
  it('defaults: a 5-minute wait, no listener, no reply domain, no DKIM', () => {
    expect(loadConfig({}, '/srv/parley').email).toEqual({
      replyDelayMs: 5 * 60_000,
      inbound: null,
      replyDomain: null,
      authservId: null,
      dkim: null,
    });
  });

  it('refuses a listener without its domain, on the main port, a bad domain, and a half-set DKIM key', () => {
    expect(() => loadConfig({ PARLEY_SMTP_INBOUND_PORT: '2525' })).toThrow(
      /needs PARLEY_SMTP_INBOUND_DOMAIN/,
    );
    expect(() =>
      loadConfig({ PARLEY_SMTP_INBOUND_PORT: '8080', PARLEY_SMTP_INBOUND_DOMAIN: 'reply.example.com' }),
    ).toThrow(/must differ from PARLEY_PORT/);
    expect(() => loadConfig({ PARLEY_SMTP_INBOUND_DOMAIN: 'not a domain' })).toThrow(/domain name/);
    expect(() => loadConfig({ PARLEY_SMTP_AUTHSERV_ID: 'mx example; spf=pass' })).toThrow(/host name/);
    expect(() => loadConfig({ PARLEY_DKIM_DOMAIN: 'example.com' })).toThrow(/together, or none/);
    expect(() =>
      loadConfig({
        PARLEY_DKIM_DOMAIN: 'example.com',
        PARLEY_DKIM_SELECTOR: 's1',
        PARLEY_DKIM_PRIVATE_KEY_FILE: '/nonexistent/dkim.pem',
      }),
    ).toThrow(/Cannot read the DKIM private key/);
  });

  it('reads a complete setup', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-dkim-'));
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'dkim.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const c = loadConfig(
      {
        PARLEY_EMAIL_REPLY_DELAY_MINUTES: '10',
        PARLEY_SMTP_INBOUND_PORT: '2525',
        PARLEY_SMTP_INBOUND_DOMAIN: 'Reply.Example.com',
        PARLEY_SMTP_AUTHSERV_ID: 'MX.Example.com',
        PARLEY_DKIM_DOMAIN: 'example.com',
        PARLEY_DKIM_SELECTOR: 's1',
        PARLEY_DKIM_PRIVATE_KEY_FILE: 'dkim.pem',
      },
      dir,
    );
    expect(c.email).toMatchObject({
      replyDelayMs: 600_000,
      inbound: { host: '127.0.0.1', port: 2525, maxBytes: 256 * 1024 },
      replyDomain: 'reply.example.com',
      authservId: 'mx.example.com',
      dkim: { domainName: 'example.com', keySelector: 's1' },
    });
  });
});
