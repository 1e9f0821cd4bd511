import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWidget, http, PASSWORD, setupAdmin, type TestAgent } from '../test/support/clients.js';
import { WEBHOOKS } from '../test/support/fake-platforms.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium, launchChromium } from './support/browser.js';
import { checkEveryWidth } from './support/check-screen.js';
import { heightFor } from './support/layout.js';

const SHOTS = 'test-results/channels';

/**
 * An administrator connects a Telegram channel on the Channels screen by keyboard, gets the webhook URL
 * and secret to give Telegram; a customer's message through that webhook shows in the inbox with its
 * channel's label; the channel's last webhook time shows; removing it takes it off the list.
 */
describe.skipIf(!hasChromium)('Channels in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let database: TestDatabase;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let admin: TestAgent;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    database = await createTestDatabase('sqlite');
    server = await startTestServer({ database, host: 'localhost' });
    admin = await setupAdmin(server);
    await createWidget(server, admin);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: heightFor(1280) } })).newPage();
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
  });

  const checkLayout = (name: string) => checkEveryWidth(page, SHOTS, name);

  it('connects Telegram by keyboard, shows the setup, the channel’s conversations and its status', async () => {
    await page.goto(`${server.url}/settings/channels`);
    await page.getByTestId('channels-empty').waitFor();
    await page.getByTestId('channel-new').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('channel-kind').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.type('Support on Telegram');
    await page.getByTestId('channel-botToken').focus();
    await page.keyboard.type('123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11');
    await checkLayout('channel-form');
    await page.getByTestId('channel-save').focus();
    await page.keyboard.press('Enter');
    const created = page.getByTestId('channel-created');
    await created.waitFor();
    const url = await page.getByTestId('channel-webhook-url').inputValue();
    const secret = await page.getByTestId('channel-webhook-secret').inputValue();
    expect(url).toMatch(/\/api\/v1\/channels\/[0-9a-f-]{36}\/webhook$/);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await created.textContent()).toContain('setWebhook');
    await checkLayout('channel-created');

    // Telegram delivers a customer's message: it shows in the inbox, labelled with its channel.
    const raw = JSON.stringify(
      WEBHOOKS.telegram({
        updateId: 10000,
        chatId: 1111111,
        text: 'Where is my order?',
        date: Math.floor(Date.now() / 1000),
      }),
    );
    const res = await http(server, 'POST', new URL(url).pathname, {
      rawBody: raw,
      origin: null,
      headers: { 'x-telegram-bot-api-secret-token': secret },
    });
    expect(res.status).toBe(200);
    await page.goto(`${server.url}/inbox`);
    const tag = page.getByTestId('channel-tag').first();
    await tag.waitFor();
    expect(await tag.textContent()).toBe('Telegram');
    await checkLayout('inbox-channel');

    await page.goto(`${server.url}/settings/channels`);
    const row = page.getByTestId('channel-row');
    await row.waitFor();
    expect(await row.getByTestId('channel-status').textContent()).toBe('Working');
    expect(await row.textContent()).not.toContain('Never');
    await checkLayout('channels');
    await row.getByTestId('channel-remove').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('channel-remove-confirm').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('channels-empty').waitFor();
  });
});
