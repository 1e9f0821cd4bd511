import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcRecheckJob } from '../server/modules/sso/create-recheck-job.js';
import { PASSWORD, setupAdmin } from '../test/support/clients.js';
import { startOpenIdProvider, type TestOpenIdProvider } from '../test/support/openid-provider.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium, launchChromium } from './support/browser.js';
import { heightFor, horizontalOverflow, settled } from './support/layout.js';

const SHOTS = 'test-results/company-sign-in';
const ADMIN_EMAIL = 'admin@acme.example';

/**
 * Company sign-in in real Chromium against a real OpenID Provider: an administrator adds the
 * provider and its group mapping on the Company sign-in screen, then a person types their work email
 * on the sign-in screen, takes the "Sign in with …" button by keyboard, passes the provider and lands
 * in the inbox signed in; a person without a mapped group comes back to a message saying why.
 */
describe.skipIf(!hasChromium)('company sign-in in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let database: TestDatabase;
  let server: TestServer;
  let op: TestOpenIdProvider;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    database = await createTestDatabase('sqlite');
    server = await startTestServer({ database, host: 'localhost' });
    await setupAdmin(server, undefined, ADMIN_EMAIL);
    op = await startOpenIdProvider({ redirectUri: `${server.url}/api/v1/auth/oidc/callback` });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await op?.close();
    await server?.close();
    await database?.drop();
  });

  const newPage = async (width = 1280): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height: heightFor(width) } });
    context.setDefaultTimeout(15_000);
    return context.newPage();
  };
  const checkScreen = async (page: Page, name: string) => {
    for (const width of [375, 1280, 1920]) {
      await page.setViewportSize({ width, height: heightFor(width) });
      await settled(page);
      const overflow = await horizontalOverflow(page);
      expect(overflow.excess, overflow.culprits.join(', ')).toBe(0);
      await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
      const violations = await axeViolations(page);
      expect(violations, describeViolations(`${name} at ${width}`, violations)).toEqual([]);
    }
  };

  it('an administrator adds a provider with a group mapping, with validation messages', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-email').fill(ADMIN_EMAIL);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/inbox$/);
    const nav = page.locator('nav[aria-label="Main"] a', { hasText: 'Company sign-in' });
    await nav.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/settings\/sign-in$/);
    await page.getByTestId('oidc-add').click();
    await page.getByTestId('oidc-name').fill('Corp SSO');
    await page.getByTestId('oidc-issuer').fill('http://127.0.0.1:9/nothing-here');
    await page.getByTestId('oidc-client-id').fill(op.clientId);
    await page.getByTestId('oidc-client-secret').fill(op.clientSecret);
    await page.getByTestId('oidc-domains').fill('corp.example');
    await page.getByTestId('oidc-scopes').fill('email profile groups');
    await page.getByTestId('oidc-group-0').fill('parley-support');
    await page.getByTestId('oidc-save').click();
    // The provider's discovery document is read before anything is saved.
    await page.getByRole('alert').filter({ hasText: 'discovery document' }).waitFor();
    await checkScreen(page, 'settings-error');
    await page.setViewportSize({ width: 1280, height: heightFor(1280) });
    await page.getByTestId('oidc-issuer').fill(op.issuer);
    await page.getByTestId('oidc-save').click();
    await page.getByTestId('oidc-providers').locator('strong', { hasText: 'Corp SSO' }).waitFor();
    expect(await page.getByTestId('oidc-providers').textContent()).toContain('/api/v1/auth/oidc/callback');
    await checkScreen(page, 'settings');
  });

  it('a person signs in with the company account, by keyboard, and lands in the inbox', async () => {
    op.signInAs({
      sub: 'ada-at-corp',
      email: 'ada@corp.example',
      email_verified: true,
      name: 'Ada Lovelace',
      groups: ['parley-support'],
    });
    const page = await newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-email').fill('ada@corp.example');
    const button = page.getByTestId('sso-button');
    await button.waitFor();
    expect(await button.textContent()).toBe('Sign in with Corp SSO');
    await checkScreen(page, 'login');
    await page.setViewportSize({ width: 1280, height: heightFor(1280) });
    // From the email field, the next stop is the company button.
    await page.getByTestId('login-email').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('sso-button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/inbox$/);
    await page.getByText('Ada Lovelace').first().waitFor();
    await page.screenshot({ path: `${SHOTS}/signed-in-1280.png` });
    const cookie = (await page.context().cookies()).find((c) => c.name === '__Host-parley_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
  });

  it('a person without a mapped group comes back to the sign-in screen with the reason', async () => {
    op.signInAs({
      sub: 'mallory',
      email: 'mallory@corp.example',
      email_verified: true,
      groups: ['marketing'],
    });
    const page = await newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-email').fill('mallory@corp.example');
    await page.getByTestId('sso-button').click();
    await page.waitForURL(/\/login\?sso_error=sso_no_role$/);
    expect(await page.getByTestId('sso-error').textContent()).toContain('not in a group that has access');
    await checkScreen(page, 'refused');
  });

  it('the provider shows its last re-check, and says so plainly when the provider could not be reached', async () => {
    const job = createOidcRecheckJob({
      db: server.db.db,
      ring: server.app.vault.ring,
      pubsub: server.pubsub,
      log: { info: () => {}, warn: () => {} },
    });
    const page = await newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-email').fill(ADMIN_EMAIL);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/inbox$/);
    try {
      // Ada from the test before is still signed in: the re-check asks the provider about her.
      expect(await job.tick()).toBe('ran');
      const nav = page.locator('nav[aria-label="Main"] a', { hasText: 'Company sign-in' });
      await nav.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/settings\/sign-in$/);
      const line = page.getByTestId('oidc-recheck');
      await line.filter({ hasText: 'Last re-check' }).waitFor();
      expect(await line.textContent()).toContain('the provider answered for 1 account; 0 people signed out');
      await checkScreen(page, 'recheck-ok');

      op.failWith(503);
      expect(await job.tick()).toBe('ran');
      await page.reload();
      await line.filter({ hasText: 'could not be reached' }).waitFor();
      expect(await line.textContent()).toContain('Nobody was signed out');
      await checkScreen(page, 'recheck-unreachable');
    } finally {
      op.failWith(null);
      await job.stop();
    }
  });
});
