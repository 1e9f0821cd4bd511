import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitorSession, Widget } from '../protocol/api.js';
import { runRetention } from '../server/modules/retention/run-retention.js';
import {
  addAgent,
  connectVisitor,
  createWidget,
  http,
  setupAdmin,
  startVisitor,
  type TestAgent,
} from '../test/support/clients.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium, launchChromium } from './support/browser.js';
import { signInOn } from './support/browser-stage.js';

const EMAIL = 'paula.perez@example.com';
const PHONE = '+34 612 345 678';
const TEXT = `Write to ${EMAIL} or call ${PHONE}`;

/** Data protection as people use it: retention form, masked and unmasked views, export, erasure, archives. */
describe.skipIf(!hasChromium)('data protection in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let database: TestDatabase;
  let server: TestServer;
  let browser: Browser;
  let admin: TestAgent;
  let widget: Widget;
  let visitor: VisitorSession;
  const base = () => `/api/v1/workspaces/${admin.workspaceId}`;

  const signIn = async (email: string): Promise<Page> => {
    const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await signInOn(page, server, email);
    return page;
  };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await startTestServer({ database, host: 'localhost' });
    browser = await launchChromium();
    admin = await setupAdmin(server, undefined, 'admin@acme.example');
    await addAgent(server, admin.workspaceId, 'operator', 'operator@acme.example');
    widget = await createWidget(server, admin);
    visitor = await startVisitor(server, widget);
    await http(server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${visitor.credential}` },
      body: { name: 'Paula Perez', email: EMAIL, phone: PHONE },
    });
    const socket = await connectVisitor(server, visitor.credential);
    socket.sendMessage(visitor.conversationId, TEXT);
    await socket.next('message.ack');
    socket.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.drop();
  });

  it('lets an administrator set a widget’s retention rules, saying why history needs 24 hours', async () => {
    // A widget of its own, so its rules touch no other test's visitors.
    const shop = await createWidget(server, admin);
    const page = await signIn('admin@acme.example');
    await page.goto(`${server.url}/widgets/${shop.id}`);
    await page.getByTestId('retention-history-on').check();
    await page.getByTestId('retention-history').fill('12');
    await page.getByTestId('retention-save').click();
    const form = page.getByTestId('retention-form');
    await expect
      .poll(() => form.textContent())
      .toMatch(/At least 24 hours.*operators take over conversations/i);
    await page.getByTestId('retention-history').fill('48');
    await page.getByTestId('retention-ttl-on').check();
    await page.getByTestId('retention-ttl').fill('2');
    await page.getByTestId('retention-ttl-unit').selectOption('hours');
    await page.getByTestId('retention-inactivity').fill('30');
    await page.getByTestId('retention-delete').check();
    await page.getByTestId('retention-save').click();
    await expect.poll(() => form.textContent()).toContain('Retention rules saved');
    const saved = await http(server, 'GET', `${base()}/widgets/${shop.id}/retention`, {
      cookie: admin.cookie,
    });
    expect(saved.body).toMatchObject({
      historyHours: 48,
      visitorDataTtlSeconds: 7200,
      inactivityDays: 30,
      archiveInactive: false,
      storageOff: false,
    });

    // Runs that changed something show up for administrators.
    const other = await startVisitor(server, shop);
    await http(server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${other.credential}` },
      body: { name: 'Soon Gone' },
    });
    await runRetention({
      db: server.db.db,
      vault: server.app.vault,
      now: new Date(Date.now() + 3 * 3_600_000),
      batchSize: 100,
      node: 'e2e',
    });
    await page.reload();
    await expect.poll(() => page.getByTestId('retention-runs').textContent()).toMatch(/Visitor data/);
    expect(await page.getByTestId('retention-runs').locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    await page.context().close();
  });

  it('shows an operator masks, never the data; an administrator the data, its export and its erasure', async () => {
    const op = await signIn('operator@acme.example');
    await op.goto(`${server.url}/inbox/${visitor.conversationId}`);
    await op.getByTestId('visitor-panel').locator('summary').click();
    await expect.poll(() => op.getByTestId('visitor-email').textContent()).toBe('p•••@•••.com');
    await expect.poll(() => op.getByTestId('message').last().textContent()).toContain('p•••@•••.com');
    expect(await op.getByTestId('visitor-masked').isVisible()).toBe(true);
    expect(await op.getByTestId('visitor-erase').count()).toBe(0);
    const opHtml = await op.content();
    for (const raw of [EMAIL, PHONE, 'Paula Perez']) expect(opHtml).not.toContain(raw);
    await op.getByTestId('note-input').fill(`Called back on ${PHONE}`);
    await op.getByTestId('note-add').click();
    await expect.poll(() => op.getByTestId('note').last().textContent()).toContain('••• •78');
    await op.context().close();

    const page = await signIn('admin@acme.example');
    await page.goto(`${server.url}/inbox/${visitor.conversationId}`);
    await page.getByTestId('visitor-panel').locator('summary').click();
    await expect.poll(() => page.getByTestId('visitor-email').textContent()).toBe(EMAIL);
    await expect.poll(() => page.getByTestId('note').last().textContent()).toContain(PHONE);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('visitor-export').click(),
    ]);
    const exported = JSON.parse(readFileSync((await download.path()) as string, 'utf8'));
    expect(exported.visitor).toMatchObject({ email: EMAIL, phone: PHONE, name: 'Paula Perez' });
    expect(JSON.stringify(exported.conversations)).toContain(TEXT);

    await page.getByTestId('visitor-erase').click();
    await page.getByTestId('visitor-erase-confirm').click();
    await page.waitForURL(/\/inbox\?erased=1/);
    const gone = await http(server, 'GET', `${base()}/visitors/${visitor.visitor.id}`, {
      cookie: admin.cookie,
    });
    expect(gone.status).toBe(404);
    await expect
      .poll(() => page.getByTestId('conversation-item').allTextContents())
      .not.toContainEqual(expect.stringContaining('p•••'));
    await page.context().close();
  });

  it('lists archived conversations for administrators and shows one in full', async () => {
    const w = await createWidget(server, admin);
    const v = await startVisitor(server, w);
    const socket = await connectVisitor(server, v.credential);
    socket.sendMessage(v.conversationId, 'Please keep this in the archive');
    await socket.next('message.ack');
    socket.close();
    await runRetention({
      db: server.db.db,
      vault: server.app.vault,
      now: new Date(Date.now() + 91 * 86_400_000),
      batchSize: 100,
      node: 'e2e',
    });

    const page = await signIn('admin@acme.example');
    await page.getByRole('link', { name: 'Archives' }).click();
    await page.getByTestId('archive-item').first().getByRole('link').click();
    await expect
      .poll(() => page.getByTestId('archive-message').allTextContents())
      .toEqual([
        expect.stringContaining('Hi! How can we help?'),
        expect.stringContaining('Please keep this in the archive'),
      ]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('archive-download').click(),
    ]);
    expect(readFileSync((await download.path()) as string, 'utf8')).toContain(
      'Please keep this in the archive',
    );
    await page.context().close();

    const op = await signIn('operator@acme.example');
    expect(await op.getByRole('link', { name: 'Archives' }).count()).toBe(0);
    await op.context().close();
  });
});
