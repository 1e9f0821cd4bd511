import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { type ConfigError, loadConfig } from '../../config.js';

const PATH = '/.well-known/security.txt';

describe('security.txt (RFC 9116)', () => {
  let database: TestDatabase;
  let plain: TestServer;
  let configured: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    plain = await startTestServer({ database });
    configured = await startTestServer({
      database,
      migrate: false,
      env: {
        PARLEY_SECURITY_CONTACT: 'mailto:security@example.com, https://example.com/report',
        PARLEY_SECURITY_POLICY: 'https://example.com/disclosure',
        PARLEY_SECURITY_LANGUAGES: 'en, de',
      },
    });
  });
  afterAll(async () => {
    await plain?.close();
    await configured?.close();
    await database?.drop();
  });

  it('is not served until a contact is configured (404, the stable error shape)', async () => {
    const res = await fetch(`${plain.url}${PATH}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('names the contacts, an expiry within a year, the policy, languages and its canonical address', async () => {
    const res = await fetch(`${configured.url}${PATH}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text = await res.text();
    const fields = text
      .trim()
      .split('\n')
      .map((l) => l.split(': '));
    const all = (name: string) => fields.filter(([k]) => k === name).map(([, v]) => v);
    expect(all('Contact')).toEqual(['mailto:security@example.com', 'https://example.com/report']);
    expect(all('Policy')).toEqual(['https://example.com/disclosure']);
    expect(all('Preferred-Languages')).toEqual(['en, de']);
    expect(all('Canonical')).toEqual([`${configured.url}${PATH}`]);
    const [expires] = all('Expires');
    expect(expires).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const t = Date.parse(expires as string);
    expect(t).toBeGreaterThan(Date.now());
    expect(t - Date.now()).toBeLessThan(366 * 86_400_000);
    // Every line is a field of RFC 9116 (no comments, no blank lines, nothing else).
    for (const [k] of fields)
      expect(['Contact', 'Expires', 'Policy', 'Preferred-Languages', 'Canonical']).toContain(k);
  });

  it('refuses contacts that are not URIs, an expiry in the past or more than a year ahead', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return '';
      } catch (err) {
        return (err as ConfigError).problems.join('\n');
      }
    };
    expect(problems({ PARLEY_SECURITY_CONTACT: 'security@example.com' })).toMatch(/not a mailto:/);
    expect(
      problems({ PARLEY_SECURITY_CONTACT: 'mailto:a@example.com', PARLEY_SECURITY_EXPIRES: '2001-01-01' }),
    ).toMatch(/in the past/);
    const far = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
    expect(
      problems({ PARLEY_SECURITY_CONTACT: 'mailto:a@example.com', PARLEY_SECURITY_EXPIRES: far }),
    ).toMatch(/at most a year ahead/);
    expect(problems({ PARLEY_SECURITY_EXPIRES: '2030-01-01' })).toMatch(/needs PARLEY_SECURITY_CONTACT/);
    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    expect(
      loadConfig({ PARLEY_SECURITY_CONTACT: 'mailto:a@example.com', PARLEY_SECURITY_EXPIRES: soon })
        .securityTxt?.expires,
    ).toEqual(new Date(soon));
  });
});
