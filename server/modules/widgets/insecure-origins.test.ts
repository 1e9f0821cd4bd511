import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, type TestAgent } from '../../../test/support/clients.js';
import { type RawResponse, rawRequest } from '../../../test/support/raw-http.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import { createTestCertificates, type TestCertificates } from '../../../test/support/tls-certs.js';
import { migrations } from '../../db/migrations/index.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { createSetupLink } from '../auth/create-setup-link.js';

/**
 * An https:// Parley refuses plain http:// embedding sites unless an administrator allows them for
 * the widget, knowingly and on the audit record: such a page (and the identity hash in its snippet)
 * can be rewritten on its way, and its origin would sit in the frame's `frame-ancestors`.
 */
describe.each(DIALECTS)('insecure widget origins (%s)', (dialect) => {
  let certs: TestCertificates;
  let database: TestDatabase;
  let server: TestServer;
  let admin: TestAgent;

  const call = (method: string, path: string, body?: unknown): Promise<RawResponse> =>
    rawRequest(server.url, {
      method,
      path: `/api/v1/workspaces/${admin.workspaceId}${path}`,
      ca: certs.ca,
      headers: { origin: server.origin, cookie: admin.cookie },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const widgetBody = (allowedOrigins: string[], extra: object = {}) => ({
    name: 'Site',
    allowedOrigins,
    greeting: 'Hi',
    ...extra,
  });

  beforeAll(async () => {
    certs = createTestCertificates();
    database = await createTestDatabase(dialect);
    server = await startTestServer({ database, host: 'localhost', tls: certs });
    const link = await createSetupLink({ db: server.db.db, config: server.config });
    const res = await rawRequest(server.url, {
      method: 'POST',
      path: '/api/v1/setup',
      ca: certs.ca,
      headers: { origin: server.origin },
      body: JSON.stringify({
        token: new URL(link?.url ?? '').hash.replace('#token=', ''),
        email: 'admin@example.com',
        name: 'Ada',
        password: PASSWORD,
        workspaceName: 'W',
      }),
    });
    expect(res.status).toBe(201);
    const cookie = String(res.headers['set-cookie']?.find((c) => c.startsWith('__Host-parley_session=')));
    admin = { cookie: cookie.split(';')[0] as string, me: res.json, workspaceId: res.json.workspace.id };
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
    certs?.remove();
  });

  it('refuses a plain http:// origin with a clear message, keeps loopback for development', async () => {
    const refused = await call(
      'POST',
      '/widgets',
      widgetBody(['https://shop.example.com', 'http://shop.example.com']),
    );
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe('insecure_origin');
    expect(refused.json.error.message).toMatch(/http:\/\/.*https:\/\//);
    expect(refused.json.error.details).toEqual([
      'allowedOrigins: "http://shop.example.com" is plain http; use https://shop.example.com',
    ]);
    expect((await call('GET', '/widgets')).json.items).toEqual([]);

    const local = await call(
      'POST',
      '/widgets',
      widgetBody(['http://localhost:3000', 'http://127.0.0.1:8000']),
    );
    expect(local.status).toBe(201);
    expect(local.json.allowInsecureOrigins).toBe(false);
  });

  it('takes one only when an administrator allows it for the widget, on the audit record', async () => {
    const created = await call(
      'POST',
      '/widgets',
      widgetBody(['http://legacy.example.com'], { allowInsecureOrigins: true }),
    );
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      allowInsecureOrigins: true,
      allowedOrigins: ['http://legacy.example.com'],
    });
    const frame = await rawRequest(server.url, { path: `/w/${created.json.id}`, ca: certs.ca });
    expect(frame.headers['content-security-policy']).toContain('frame-ancestors http://legacy.example.com;');

    const audit = await call('GET', '/audit?action=widget.created');
    const entry = audit.json.items.find((e: { target: { id: string } }) => e.target.id === created.json.id);
    expect(entry.details).toMatchObject({ allowInsecureOrigins: true });

    // Taking the permission back while the http:// origin stays is refused; with it gone, it works.
    const revoke = await call('PATCH', `/widgets/${created.json.id}`, { allowInsecureOrigins: false });
    expect(revoke.status).toBe(400);
    expect(revoke.json.error.code).toBe('insecure_origin');
    const fixed = await call('PATCH', `/widgets/${created.json.id}`, {
      allowInsecureOrigins: false,
      allowedOrigins: ['https://legacy.example.com'],
    });
    expect(fixed.status).toBe(200);
    expect(fixed.json.allowInsecureOrigins).toBe(false);
    const added = await call('PATCH', `/widgets/${created.json.id}`, {
      allowedOrigins: ['https://legacy.example.com', 'http://legacy.example.com'],
    });
    expect(added.status).toBe(400);
    expect(added.json.error.code).toBe('insecure_origin');
  });

  it('keeps widgets that already named an http:// origin working, with the permission shown', async () => {
    const older = await createTestDatabase(dialect);
    const handle = older.open();
    try {
      const migrator = new Migrator({
        db: handle.db,
        provider: { getMigrations: async () => migrations },
        ...(older.schema ? { migrationTableSchema: older.schema } : {}),
      });
      const before = await migrator.migrateTo('2026-11-22-0009-queue-order');
      expect(before.error).toBeUndefined();
      const at = new Date().toISOString();
      const ws = '00000000-0000-4000-8000-000000000001';
      await handle.db
        .insertInto('workspaces')
        .values({ id: ws, workspace_id: ws, name: 'W', created_at: at })
        .execute();
      const widget = (id: string, origins: string[]) => ({
        id,
        workspace_id: ws,
        name: 'W',
        greeting: '',
        bot_name: 'B',
        allowed_origins: JSON.stringify(origins),
        identity_secret: null,
        require_identity: 0,
        bot_min_confidence: 60,
        bot_handoff_after_misses: 2,
        team_id: null,
        created_at: at,
        updated_at: at,
      });
      await (handle.db as any)
        .insertInto('widgets')
        .values([
          widget('00000000-0000-4000-8000-000000000002', ['http://legacy.example.com']),
          widget('00000000-0000-4000-8000-000000000003', ['https://shop.example.com']),
        ])
        .execute();
      await migrateToLatest(handle.db, older.schema);
      const rows = await handle.db
        .selectFrom('widgets')
        .select(['id', 'allow_insecure_origins'])
        .orderBy('id')
        .execute();
      expect(rows.map((r) => r.allow_insecure_origins)).toEqual([1, 0]);
    } finally {
      await handle.close();
      await older.drop();
    }
  });
});
