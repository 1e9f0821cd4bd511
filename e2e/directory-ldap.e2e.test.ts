import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSetupLink } from '../server/modules/auth/create-setup-link.js';
import { http, PASSWORD } from '../test/support/clients.js';
import {
  ADMINS_GROUP,
  AGENTS_GROUP,
  DIRECTORY_PEOPLE,
  GROUPS,
  hasSlapd,
  PEOPLE,
  SEARCH_DN,
  SEARCH_PW,
  startTestDirectory,
  type TestDirectory,
} from '../test/support/slapd.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium, launchChromium } from './support/browser.js';
import { heightFor, horizontalOverflow, settled, WIDTHS } from './support/layout.js';

const SHOTS = 'test-results/directory';
const ADMIN_EMAIL = 'admin@example.com';

/**
 * An administrator connects the workspace to a real OpenLDAP directory on the Directory (LDAP)
 * screen, reached by keyboard: plain LDAP is refused with a clear message, a wrong search password is
 * named as such by Test connection, the right settings connect and save. Then people sign in through
 * the ordinary login page with their directory passwords. Every width axe-core clean, no sideways scroll.
 */
describe.skipIf(!hasChromium || !hasSlapd)(
  'directory sign-in in Chromium',
  { timeout: BROWSER_TEST_TIMEOUT_MS },
  () => {
    let ldap: TestDirectory;
    let database: TestDatabase;
    let server: TestServer;
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      ldap = await startTestDirectory();
      database = await createTestDatabase('sqlite');
      server = await startTestServer({ database, host: 'localhost' });
      const link = await createSetupLink({ db: server.db.db, config: server.config });
      const token = new URL(link?.url ?? '').hash.replace('#token=', '');
      const setup = await http(server, 'POST', '/api/v1/setup', {
        body: { token, email: ADMIN_EMAIL, name: 'Ada Admin', password: PASSWORD, workspaceName: 'Acme' },
      });
      expect(setup.status).toBe(201);
      browser = await launchChromium();
      page = await (
        await browser.newContext({ viewport: { width: 1280, height: heightFor(1280) } })
      ).newPage();
      await signIn(page, ADMIN_EMAIL, PASSWORD);
      await page.waitForURL(/\/inbox$/);
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await database?.drop();
      await ldap?.stop();
    });

    const signIn = async (p: Page, email: string, password: string) => {
      await p.goto(`${server.url}/login`);
      await p.getByTestId('login-email').fill(email);
      await p.getByTestId('login-password').fill(password);
      await p.getByTestId('login-password').press('Enter');
    };

    it('an administrator configures the directory by keyboard, with clear answers for mistakes', async () => {
      const nav = page.locator('nav[aria-label="Main"] a', { hasText: 'Directory' });
      await nav.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/settings\/directory$/);
      await page.getByTestId('directory-domain').fill('example.com');
      await page.getByTestId('directory-url').fill(ldap.ldapUrl);
      await page.getByTestId('directory-bind-dn').fill(SEARCH_DN);
      await page.getByTestId('directory-bind-password').fill('not-the-password');
      await page.getByTestId('directory-base-dn').fill(PEOPLE);
      await page.getByTestId('directory-group-mode').selectOption('search');
      await page.getByTestId('directory-group-base').fill(GROUPS);
      await page.getByTestId('mapping-add').press('Enter');
      await page.getByTestId('mapping-add').press('Enter');
      await page.getByTestId('mapping-group').nth(0).fill(ADMINS_GROUP);
      await page.getByTestId('mapping-role').nth(0).selectOption('administrator');
      await page.getByTestId('mapping-group').nth(1).fill(AGENTS_GROUP);

      // Plain LDAP: the screen says so before saving, and the server refuses it.
      expect(await page.getByTestId('directory-plain').textContent()).toMatch(/Plain LDAP is refused/);
      await page.getByTestId('directory-save').press('Enter');
      await expect.poll(() => page.locator('.form-error').textContent()).toMatch(/without encryption/);
      await page.screenshot({ path: `${SHOTS}/plain-refused-1280.png`, fullPage: true });

      // StartTLS with the directory's CA; a wrong search password is named as such, and not echoed.
      await page.getByTestId('directory-starttls').focus();
      await page.keyboard.press('Space');
      await page.getByTestId('directory-ca').fill(ldap.caPem);
      await page.getByTestId('directory-test').press('Enter');
      const result = page.getByTestId('directory-test-result');
      await expect.poll(() => result.textContent()).toMatch(/refused the search account/);
      expect(await page.locator('main').textContent()).not.toContain('not-the-password');

      await page.getByTestId('directory-bind-password').fill(SEARCH_PW);
      await page.getByTestId('directory-test').press('Enter');
      await expect.poll(() => result.textContent()).toMatch(/^Connected/);
      await page.getByTestId('directory-save').press('Enter');
      await page.getByText('Saved.').waitFor();
      // A full load of the screen's address shows what was saved (the search password never comes back).
      await page.goto(`${server.url}/settings/directory`);
      await expect.poll(() => page.getByTestId('directory-domain').inputValue()).toBe('example.com');
      expect(await page.getByTestId('directory-bind-password').inputValue()).toBe('');

      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: heightFor(width) });
        await settled(page);
        const overflow = await horizontalOverflow(page);
        expect(overflow.excess, overflow.culprits.join(', ')).toBe(0);
        await page.screenshot({ path: `${SHOTS}/directory-${width}.png`, fullPage: true });
        const violations = await axeViolations(page);
        expect(violations, describeViolations(`directory at ${width}`, violations)).toEqual([]);
      }
    });

    it('people sign in through the ordinary login page with their directory password', async () => {
      const context = await browser.newContext({ viewport: { width: 375, height: heightFor(375) } });
      const p = await context.newPage();
      try {
        // In no mapped group: refused, in words the person can act on.
        await signIn(p, 'carol@example.com', DIRECTORY_PEOPLE.carol.password);
        const alert = p.locator('[role="alert"]');
        await expect.poll(() => alert.first().textContent()).toMatch(/does not give your account access/);
        await p.screenshot({ path: `${SHOTS}/login-refused-375.png`, fullPage: true });
        const violations = await axeViolations(p);
        expect(violations, describeViolations('login refused at 375', violations)).toEqual([]);

        await signIn(p, 'alice@example.com', DIRECTORY_PEOPLE.alice.password);
        await p.waitForURL(/\/inbox$/);
        const me = await p.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.json()));
        expect(me).toMatchObject({
          role: 'administrator',
          user: { email: 'alice@example.com', name: 'Alice Admin' },
        });
        await p.screenshot({ path: `${SHOTS}/signed-in-375.png` });
      } finally {
        await context.close();
      }
    });
  },
);
