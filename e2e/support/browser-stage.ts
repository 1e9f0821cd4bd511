import type { Browser, Page } from 'playwright-core';
import { PASSWORD, setupAdmin, type TestAgent } from '../../test/support/clients.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../test/support/test-server.js';
import { launchChromium } from './browser.js';
import { type HostPage, startHostPage } from './host-page.js';

/** What most browser tests start from: a node on localhost, a shop page, Chromium, an administrator. */
export interface BrowserStage {
  server: TestServer;
  shop: HostPage;
  browser: Browser;
  admin: TestAgent;
  close(): Promise<void>;
}

export async function startBrowserStage(): Promise<BrowserStage> {
  const database: TestDatabase = await createTestDatabase('sqlite');
  const server = await startTestServer({ database, host: 'localhost' });
  const shop = await startHostPage();
  const browser = await launchChromium();
  const admin = await setupAdmin(server);
  return {
    server,
    shop,
    browser,
    admin,
    async close() {
      await browser.close();
      await shop.close();
      await server.close();
      await database.drop();
    },
  };
}

/** The chat messages on a dashboard page or inside the widget's frame. */
export const messagesOn = (page: Page | ReturnType<Page['frameLocator']>) =>
  page.locator('[data-testid="message"]');

/** Signs in on the dashboard's login page and waits for the inbox. */
export async function signInOn(
  page: Page,
  server: Pick<TestServer, 'url'>,
  email: string,
  password = PASSWORD,
): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/inbox/);
}
