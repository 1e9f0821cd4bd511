import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSetupLink } from '../server/modules/auth/create-setup-link.js';
import { http, PASSWORD } from '../test/support/clients.js';
import { CLAMD_SOCKET, hasClamd } from '../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium, launchChromium } from './support/browser.js';
import { heightFor, horizontalOverflow, settled, WIDTHS } from './support/layout.js';

const SHOTS = 'test-results/infected-upload-alert';
const ADMIN_EMAIL = 'admin@example.com';
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
const scanning = await hasClamd();

/**
 * A visitor sends a file clamd recognises: the upload is refused, and the administrator finds the
 * alert among the security alerts, with what to do first, at a phone's, a laptop's and a wide screen's
 * width, axe-core clean.
 */
describe.skipIf(!hasChromium || !scanning)(
  'an infected upload in Chromium',
  { timeout: BROWSER_TEST_TIMEOUT_MS },
  () => {
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
        env: { PARLEY_CLAMD: `unix:${CLAMD_SOCKET}` },
      });
      const link = await createSetupLink({ db: server.db.db, config: server.config });
      const token = new URL(link?.url ?? '').hash.replace('#token=', '');
      const setup = await http(server, 'POST', '/api/v1/setup', {
        body: { token, email: ADMIN_EMAIL, name: 'Ada Admin', password: PASSWORD, workspaceName: 'Acme' },
      });
      expect(setup.status).toBe(201);
      workspaceId = setup.body.workspace.id;
      browser = await launchChromium();
      page = await (
        await browser.newContext({ viewport: { width: 1280, height: heightFor(1280) } })
      ).newPage();
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

    it('refuses the file and shows the administrator the alert and its first step', async () => {
      const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      const widget = await http(server, 'POST', `/api/v1/workspaces/${workspaceId}/widgets`, {
        cookie,
        body: { name: 'Shop', allowedOrigins: ['https://shop.example.com'], greeting: 'Hi!' },
      });
      expect(widget.status).toBe(201);
      const visitor = await http(server, 'POST', '/api/v1/visitor/sessions', {
        body: { widgetId: widget.body.id, hostOrigin: 'https://shop.example.com' },
      });
      const res = await fetch(
        `${server.url}/api/v1/visitor/conversations/${visitor.body.conversationId}/attachments`,
        {
          method: 'POST',
          headers: {
            origin: server.origin,
            authorization: `Bearer ${visitor.body.credential}`,
            'content-type': 'application/octet-stream',
            'x-file-name': 'invoice.txt',
          },
          body: EICAR,
        },
      );
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('attachment_infected');

      await page.goto(`${server.url}/settings/alerts`);
      const alert = page.locator('[data-testid="security-alert"][data-rule="infected_upload"]');
      await alert.waitFor();
      expect(await alert.locator('h2').textContent()).toBe('An uploaded file was refused as malware');
      expect(await alert.textContent()).toContain('Nothing was stored.');
      expect(await page.content()).not.toContain('EICAR-STANDARD');

      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: heightFor(width) });
        await settled(page);
        const overflow = await horizontalOverflow(page);
        expect(overflow.excess, overflow.culprits.join(', ')).toBe(0);
        await page.screenshot({ path: `${SHOTS}/alert-${width}.png`, fullPage: true });
        const violations = await axeViolations(page);
        expect(violations, describeViolations(`alert at ${width}`, violations)).toEqual([]);
      }
    });
  },
);
