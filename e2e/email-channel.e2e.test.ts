import { mkdirSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWidget, PASSWORD, setupAdmin } from '../test/support/clients.js';
import { type SmtpInbox, startSmtpInbox } from '../test/support/smtp-inbox.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium, launchChromium } from './support/browser.js';
import { checkEveryWidth } from './support/check-screen.js';
import { heightFor } from './support/layout.js';

const SHOTS = '/tmp/parley-email-channel';
const RELAY = 'mx.company.test';

/**
 * An administrator adds an email inbox on the Channels screen by keyboard and gets the steps for
 * MX/relay and DNS; a customer's mail (real SMTP into Parley's listener) shows in the inbox labelled
 * Email, with the relay's verdicts beside it (a DMARC failure marked) and a note in the composer
 * that typing is not shown and buttons become a numbered list.
 */
describe.skipIf(!hasChromium)('The email channel in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let database: TestDatabase;
  let server: TestServer;
  let inbox: SmtpInbox;
  let inboundPort: number;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    database = await createTestDatabase('sqlite');
    inbox = await startSmtpInbox();
    server = await startTestServer({
      database,
      host: 'localhost',
      env: {
        PARLEY_SMTP_URL: inbox.url,
        PARLEY_SMTP_INBOUND_DOMAIN: 'reply.parley.test',
        PARLEY_SMTP_AUTHSERV_ID: RELAY,
      },
      portEnv: ['PARLEY_SMTP_INBOUND_PORT'],
    });
    inboundPort = Number(server.config.email.inbound?.port);
    const admin = await setupAdmin(server);
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
    await inbox?.close();
    await database?.drop();
  });

  const checkLayout = (name: string) => checkEveryWidth(page, SHOTS, name);

  it('adds an email inbox by keyboard, shows the routing steps, and the customer’s mail with its checks', async () => {
    await page.goto(`${server.url}/settings/channels`);
    await page.getByTestId('channels-empty').waitFor();
    await page.getByTestId('channel-new').focus();
    await page.keyboard.press('Enter');
    const kind = page.getByTestId('channel-kind');
    await kind.focus();
    // Email is the first in the list, above the default (Telegram): one step up.
    await page.keyboard.press('ArrowUp');
    expect(await kind.inputValue()).toBe('email');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Support inbox');
    await page.getByTestId('channel-address').focus();
    await page.keyboard.type('Support@Company.test');
    await checkLayout('email-channel-form');
    await page.getByTestId('channel-save').focus();
    await page.keyboard.press('Enter');
    const created = page.getByTestId('channel-created');
    await created.waitFor();
    expect(await page.getByTestId('channel-inbound-address').inputValue()).toBe('support@company.test');
    expect(await page.getByTestId('channel-webhook-secret').count()).toBe(0);
    const steps = await page.getByTestId('channel-email-steps').textContent();
    expect(steps).toContain('MX record of company.test');
    expect(steps).toContain('PARLEY_SMTP_AUTHSERV_ID');
    await checkLayout('email-channel-created');

    // A customer writes; the relay found their domain's DMARC policy failed.
    await nodemailer
      .createTransport({ host: '127.0.0.1', port: inboundPort, secure: false, ignoreTLS: true })
      .sendMail({
        from: 'jane@customer.test',
        to: 'support@company.test',
        subject: 'Broken kettle',
        text: 'My kettle stopped working.',
        headers: [
          {
            key: 'Authentication-Results',
            value: `${RELAY}; spf=fail smtp.mailfrom=customer.test; dkim=pass header.d=customer.test; dmarc=fail header.from=customer.test`,
          },
        ],
      });
    await page.goto(`${server.url}/inbox`);
    const tag = page.getByTestId('channel-tag').first();
    await tag.waitFor();
    expect(await tag.textContent()).toBe('Email');
    await tag.click();
    const check = page.getByTestId('mail-check');
    await check.waitFor();
    expect(await check.textContent()).toBe('Sender not verified: DKIM pass · SPF fail · DMARC fail');
    expect(await page.getByTestId('email-reply-note').textContent()).toContain('do not see that you are');
    // Every reply is mailed already: the follow-up by email (to an address on file) is not offered.
    expect(await page.getByText('Follow up by email').count()).toBe(0);
    await checkLayout('email-conversation');

    await page.goto(`${server.url}/settings/channels`);
    const row = page.getByTestId('channel-row');
    await row.waitFor();
    expect(await row.getByTestId('channel-status').textContent()).toBe('Working');
    expect(await row.textContent()).toContain('support@company.test');
    expect(await row.textContent()).not.toContain('Never');
    await checkLayout('email-channels');
  });
});
