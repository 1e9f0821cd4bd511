import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Widget } from '../../../protocol/api.js';
import { createWidget, http, setupAdmin, type TestAgent } from '../../../test/support/clients.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';

const SITE = 'https://shop.example.com';
const RULE = {
  enabled: true,
  delaySeconds: 20,
  path: '/pricing*',
  text: 'Comparing plans? Ask us anything.',
  textTranslations: { de: 'Sie vergleichen Tarife? Fragen Sie uns.' },
};

describe.each(DIALECTS)('proactive message rule (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: TestAgent;
  let widget: Widget;

  const path = () => `/api/v1/workspaces/${admin.workspaceId}/widgets/${widget.id}/proactive`;
  const put = (body: unknown) => http(server, 'PUT', path(), { cookie: admin.cookie, body });
  const publicWidget = (language: string) =>
    http(server, 'GET', `/api/v1/widgets/${widget.id}/public`, {
      origin: SITE,
      headers: { 'accept-language': language },
    });

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startTestServer({ database });
    admin = await setupAdmin(server);
    widget = await createWidget(server, admin, [SITE]);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it('is off by default: the loader gets no rule', async () => {
    const got = await http(server, 'GET', path(), { cookie: admin.cookie });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ enabled: false, version: 0 });
    expect((await publicWidget('en')).body.proactive).toBeUndefined();
  });

  it('refuses a regular expression, a path that is not one, and unbounded values; nothing is stored', async () => {
    for (const bad of [
      { ...RULE, path: '^/pricing.*$' },
      { ...RULE, path: 'pricing' },
      { ...RULE, path: `/${'a'.repeat(200)}` },
      { ...RULE, delaySeconds: 601 },
      { ...RULE, delaySeconds: -1 },
      { ...RULE, text: 'x'.repeat(281) },
      { ...RULE, text: '   ' },
      { ...RULE, textTranslations: { xx: 'hi' } },
    ]) {
      const res = await put(bad);
      expect(res.status, JSON.stringify(bad).slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    expect((await http(server, 'GET', path(), { cookie: admin.cookie })).body.version).toBe(0);
  });

  it('stores a rule, audited; the loader gets it in the visitor’s language; each change is a new version', async () => {
    const saved = await put(RULE);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ ...RULE, version: 1 });
    const audit = await http(server, 'GET', `/api/v1/workspaces/${admin.workspaceId}/audit`, {
      cookie: admin.cookie,
    });
    expect(JSON.stringify(audit.body)).toContain('widget.proactive_updated');

    expect((await publicWidget('de-DE,de;q=0.9')).body.proactive).toEqual({
      delaySeconds: 20,
      path: '/pricing*',
      text: RULE.textTranslations.de,
      close: 'Nachricht schließen',
      version: 1,
    });
    // No French text: the default one.
    expect((await publicWidget('fr')).body.proactive.text).toBe(RULE.text);

    expect((await put({ ...RULE, delaySeconds: 5 })).body.version).toBe(2);
    await put({ ...RULE, enabled: false });
    expect((await publicWidget('en')).body.proactive).toBeUndefined();
  });
});
