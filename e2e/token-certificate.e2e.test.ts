import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../test/support/api-tokens.js';
import { type ClientCertificates, createClientCertificates } from '../test/support/client-certs.js';
import { PASSWORD, setupAdmin, type TestAgent } from '../test/support/clients.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium, launchChromium } from './support/browser.js';
import { heightFor, horizontalOverflow, settled } from './support/layout.js';

const SHOTS = 'test-results/token-certificate';

/**
 * An administrator binds an API token to a client certificate on the API tokens screen, by keyboard,
 * sees a wrong fingerprint refused with a clear message, and the binding shown in the table.
 */
describe.skipIf(!hasChromium)(
  'API token client certificate in Chromium',
  { timeout: BROWSER_TEST_TIMEOUT_MS },
  () => {
    let database: TestDatabase;
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    let admin: TestAgent;
    let certs: ClientCertificates;

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      certs = createClientCertificates();
      database = await createTestDatabase('sqlite');
      server = await startTestServer({ database, host: 'localhost' });
      admin = await setupAdmin(server);
      await createToken(server, admin, ['conversations:read'], { name: 'Billing backend' });
      browser = await launchChromium();
      page = await (
        await browser.newContext({ viewport: { width: 1280, height: heightFor(1280) } })
      ).newPage();
      await page.goto(`${server.url}/login`);
      await page.getByTestId('login-email').fill('admin@example.com');
      await page.getByTestId('login-password').fill(PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/\/inbox$/);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await database?.drop();
      certs?.remove();
    });

    it('binds a token to a certificate by keyboard and shows the binding', async () => {
      await page.goto(`${server.url}/api-tokens`);
      const cell = page.getByTestId('token-certificate');
      await cell.waitFor();
      expect(await cell.textContent()).toContain('Not required');
      await page.getByTestId('token-certificate-edit').focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('token-certificate-kind').selectOption('sha256');
      await page.getByTestId('token-certificate-value').fill('12:34');
      await page.getByTestId('token-certificate-save').press('Enter');
      await expect.poll(() => cell.locator('[role="alert"]').textContent()).toMatch(/expected shape|SHA-256/);

      const { X509Certificate } = await import('node:crypto');
      const fingerprint = new X509Certificate(certs.client.cert).fingerprint256;
      await page.getByTestId('token-certificate-value').fill(fingerprint);
      await page.getByTestId('token-certificate-save').press('Enter');
      const short = fingerprint.replace(/:/g, '').toLowerCase().slice(0, 16);
      await expect.poll(() => cell.textContent()).toContain(`Certificate SHA-256 ${short}`);

      for (const width of [375, 1280, 1920]) {
        await page.setViewportSize({ width, height: heightFor(width) });
        await settled(page);
        const overflow = await horizontalOverflow(page);
        expect(overflow.excess, overflow.culprits.join(', ')).toBe(0);
        await page.screenshot({ path: `${SHOTS}/tokens-${width}.png`, fullPage: true });
        const violations = await axeViolations(page);
        expect(violations, describeViolations(`tokens at ${width}`, violations)).toEqual([]);
      }
    });
  },
);
