import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WS_PROTOCOL, WS_TICKET_PREFIX } from '../protocol/ws-close-codes.js';
import { createSetupLink } from '../server/modules/auth/create-setup-link.js';
import { http, openSocket, PASSWORD } from '../test/support/clients.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium, launchChromium } from './support/browser.js';
import { heightFor, horizontalOverflow, settled } from './support/layout.js';

const SHOTS = 'test-results/security-alerts';
const ADMIN_EMAIL = 'admin@example.com';
const TICKETS = ['t'.repeat(43), 'u'.repeat(43), 'v'.repeat(43)];

/**
 * An administrator sees the security alerts an attack raised: a burst of refused WebSocket tickets
 * and of requests from another site, each with its facts (the addresses behind it, never a ticket),
 * at a laptop's and a phone's width, reached from the navigation by keyboard, axe-core clean.
 */
describe.skipIf(!hasChromium)('security alerts in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let database: TestDatabase;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let workspaceId = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    database = await createTestDatabase('sqlite');
    server = await startTestServer({
      database,
      host: 'localhost',
      env: { PARLEY_ALERT_REFUSED_TICKETS: '3', PARLEY_ALERT_REFUSED_ORIGINS: '3' },
    });
    const link = await createSetupLink({ db: server.db.db, config: server.config });
    const token = new URL(link?.url ?? '').hash.replace('#token=', '');
    const setup = await http(server, 'POST', '/api/v1/setup', {
      body: { token, email: ADMIN_EMAIL, name: 'Ada Admin', password: PASSWORD, workspaceName: 'Acme' },
    });
    expect(setup.status).toBe(201);
    workspaceId = setup.body.workspace.id;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: heightFor(1280) } })).newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-email').fill(ADMIN_EMAIL);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/inbox$/);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.drop();
  });

  const alertCount = async () =>
    (
      await server.db.db
        .selectFrom('security_alerts')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .execute()
    ).length;

  it('an attack raises alerts; the administrator reaches them by keyboard and reads what they say', async () => {
    // The attack: tickets guessed at the WebSocket handshake, and forged requests from another site.
    for (const ticket of TICKETS) {
      const refused = await openSocket(server, {
        protocols: [WS_PROTOCOL, WS_TICKET_PREFIX + ticket],
        origin: server.origin,
      }).then(
        () => 0,
        (err: { status?: number }) => err.status ?? 0,
      );
      expect(refused).toBe(401);
    }
    for (let i = 0; i < 3; i++) {
      const res = await http(server, 'POST', '/api/v1/auth/login', {
        origin: 'https://evil.example',
        body: { email: ADMIN_EMAIL, password: 'a guess' },
      });
      expect(res.body.error.code).toBe('cross_origin_refused');
    }
    await expect.poll(alertCount, { timeout: 20_000 }).toBe(2);

    // The navigation counts what this administrator has not seen (asked again on the next screen).
    await page.locator('nav[aria-label="Main"] a', { hasText: 'Team' }).click();
    await page.waitForURL(/\/team$/);
    const count = page.getByTestId('alerts-count');
    await expect
      .poll(async () => (await count.count()) > 0 && (await count.textContent()), { timeout: 10_000 })
      .toBe('2 new');
    await page.screenshot({ path: `${SHOTS}/alerts-count-1280.png` });

    // From the navigation, by keyboard.
    const link = page.locator('nav[aria-label="Main"] a', { hasText: 'Alerts' });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/settings\/alerts$/);
    const tickets = page.locator('[data-testid="security-alert"][data-rule="refused_tickets"]');
    await tickets.waitFor();
    expect(await tickets.locator('h2').textContent()).toBe('A burst of refused WebSocket tickets');
    const text = (await tickets.textContent()) ?? '';
    expect(text).toMatch(/Refusals\s*3/);
    expect(text).toMatch(/Addresses \(refusals\)\s*(127\.0\.0\.1|::1) \(3\)/);
    expect(await tickets.getByTestId('held-back').textContent()).toBe('none');
    // Shown is seen: both are marked new on this visit, and the count beside Alerts is gone.
    expect(await page.locator('[data-testid="security-alert"][data-new="true"]').count()).toBe(2);
    await expect.poll(() => count.count(), { timeout: 10_000 }).toBe(0);
    for (const ticket of TICKETS) expect(await page.content()).not.toContain(ticket);
    const origins = page.locator('[data-testid="security-alert"][data-rule="refused_origins"]');
    expect(await origins.textContent()).toContain('https://evil.example (3)');
    // When, as a person reads it: no raw ISO time on the screen.
    expect(await page.locator('main').textContent()).not.toMatch(/\d{4}-\d{2}-\d{2}T/);

    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: heightFor(width) });
      await settled(page);
      const overflow = await horizontalOverflow(page);
      expect(overflow.excess, overflow.culprits.join(', ')).toBe(0);
      await page.screenshot({ path: `${SHOTS}/alerts-${width}.png`, fullPage: true });
      const violations = await axeViolations(page);
      expect(violations, describeViolations(`alerts at ${width}`, violations)).toEqual([]);
    }
  });

  it('Refresh, reached by keyboard, reloads the list; the attack going on is held back, not listed again', async () => {
    await http(server, 'POST', '/api/v1/auth/logout', { origin: 'https://evil.example', body: {} });
    await page.setViewportSize({ width: 1280, height: heightFor(1280) });
    const refresh = page.getByRole('button', { name: 'Refresh' });
    await refresh.focus();
    // The list the Refresh asked for: the one on the screen before it counts for nothing (CI once
    // counted the list as the screen cleared it for the reload).
    const reloaded = page.waitForResponse(
      (r) => r.request().method() === 'GET' && /\/security-alerts\?limit=/.test(r.url()),
    );
    await page.keyboard.press('Enter');
    expect((await reloaded).status()).toBe(200);
    await expect
      .poll(() => page.locator('[data-testid="security-alert"]').count(), { timeout: 10_000 })
      .toBe(2);
    // Still throttled: the same two alerts, no third one.
    expect(await alertCount()).toBe(2);
  });
});
