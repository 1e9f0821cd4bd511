import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSetupLink } from '../server/modules/auth/create-setup-link.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium, launchChromium } from './support/browser.js';
import { signInOn } from './support/browser-stage.js';
import { type HostPage, shopPage, startHostPage } from './support/host-page.js';

const PASSWORD = 'a very long admin passphrase';

/**
 * The whole product in real Chromium: an administrator sets Parley up and creates a widget in the
 * dashboard; a shop on another origin embeds the snippet under a strict CSP; a visitor and an
 * operator chat in real time; reloads lose and double nothing; a disallowed site gets no chat.
 */
describe.skipIf(!hasChromium)('widget ↔ operator in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let database: TestDatabase;
  let server: TestServer;
  let shop: HostPage;
  let intruder: HostPage;
  let browser: Browser;
  let snippet = '';

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await startTestServer({ database, host: 'localhost' });
    shop = await startHostPage();
    intruder = await startHostPage();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await intruder?.close();
    await server?.close();
    await database?.drop();
  });

  const messages = (page: Page | ReturnType<Page['frameLocator']>) => page.locator('[data-testid="message"]');

  it('sets up the first administrator from the one-time link and creates a widget', async () => {
    const link = await createSetupLink({ db: server.db.db, config: server.config });
    const page = await browser.newPage();
    await page.goto(link?.url ?? '');
    await page.getByTestId('setup-workspace').fill('Acme Support');
    await page.getByTestId('setup-name').fill('Ada Admin');
    await page.getByTestId('setup-email').fill('ada@acme.example');
    await page.getByTestId('setup-password').fill(PASSWORD);
    await page.getByTestId('setup-password-confirm').fill(PASSWORD);
    await page.getByTestId('setup-submit').click();
    await page.waitForURL(/\/inbox/);
    expect(page.url()).not.toContain('token=');

    await page.goto(`${server.url}/widgets`);
    await page.getByTestId('widget-new').click();
    await page.getByTestId('widget-name').fill('Shop website');
    await page.getByTestId('widget-origins').fill(shop.origin);
    await page.getByTestId('widget-greeting').fill('Hello! Ask us anything about your order.');
    await page.getByTestId('widget-submit').click();
    const box = page.getByTestId('embed-snippet');
    await box.waitFor();
    snippet = ((await box.inputValue().catch(() => null)) ?? (await box.textContent()) ?? '').trim();
    expect(snippet).toMatch(
      new RegExp(
        `^<script src="${server.url}/widget.js" data-parley-widget="[0-9a-f-]{36}" async></script>$`,
      ),
    );
    await page.close();
  });

  it('chats both ways in real time with typing indicators, and reloads lose and double nothing', async () => {
    // The shop's CSP allows no inline code: only its own scripts and Parley's.
    shop.set('/', shopPage(snippet), `script-src 'self' ${server.origin}; frame-src ${server.origin}`);
    const cspViolations: string[] = [];
    const visitorContext = await browser.newContext();
    const visitor = await visitorContext.newPage();
    visitor.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await visitor.goto(shop.origin);
    await visitor.locator('#parley-launcher').click();
    const chat = visitor.frameLocator('#parley-frame');
    await expect.poll(() => messages(chat).first().textContent()).toContain('Hello! Ask us anything');

    // The credential lives in the iframe's storage, not the host page's.
    const hostStorage = await visitor.evaluate(() => JSON.stringify({ ...localStorage }) + document.cookie);
    expect(hostStorage).not.toMatch(/parley/i);

    const operator = await (await browser.newContext()).newPage();
    await signInOn(operator, server, 'ada@acme.example', PASSWORD);

    await chat.getByTestId('composer').fill('Where is my order #1001?');
    await chat.getByTestId('send').click();
    const item = operator.getByTestId('conversation-item').first();
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toContain('Where is my order #1001?');
    await item.click();
    await expect
      .poll(() => messages(operator).allTextContents())
      .toEqual([
        expect.stringContaining('Hello! Ask us anything'),
        expect.stringContaining('Where is my order #1001?'),
      ]);

    await chat.getByTestId('composer').pressSequentially('Also', { delay: 20 });
    await operator.getByTestId('typing').waitFor({ state: 'visible' });
    await operator.getByTestId('reply').pressSequentially('Let me check', { delay: 20 });
    await chat.getByTestId('typing').waitFor({ state: 'visible' });
    await operator.getByTestId('reply').fill('It left our warehouse today.');
    await operator.getByTestId('reply-send').click();
    await expect
      .poll(() => messages(chat).allTextContents())
      .toEqual([
        expect.stringContaining('Hello! Ask us anything'),
        expect.stringContaining('Where is my order #1001?'),
        expect.stringContaining('It left our warehouse today.'),
      ]);

    // Message text is text: markup typed by a visitor is shown, never run.
    const payload = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>';
    await chat.getByTestId('composer').fill(payload);
    await chat.getByTestId('send').click();
    await expect.poll(() => messages(operator).last().textContent()).toContain(payload);
    await expect.poll(() => messages(chat).last().textContent()).toContain(payload);
    expect(await operator.title()).not.toBe('pwned');
    expect(await operator.locator('[data-testid="message"] img').count()).toBe(0);

    // Reload both sides: the same conversation, each message exactly once.
    await visitor.reload();
    await visitor.locator('#parley-launcher').click();

    const expected = [
      'Hello! Ask us anything',
      'Where is my order #1001?',
      'It left our warehouse today.',
      payload,
    ];
    await expect
      .poll(() => messages(visitor.frameLocator('#parley-frame')).allTextContents())
      .toEqual(expected.map((t) => expect.stringContaining(t)));
    await operator.reload();
    await expect
      .poll(() => messages(operator).allTextContents())
      .toEqual(expected.map((t) => expect.stringContaining(t)));
    expect(cspViolations).toEqual([]);
    await visitorContext.close();
    await operator.context().close();
  });

  it('takes a message written and sent with Enter while the chat is still connecting, and sends it once connected', async () => {
    shop.set('/', shopPage(snippet), `script-src 'self' ${server.origin}; frame-src ${server.origin}`);
    const context = await browser.newContext();
    // The visitor session is held back until the message has been written and sent: a slow network.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await context.route('**/api/v1/visitor/sessions', async (route) => {
      await held;
      await route.continue();
    });
    const visitor = await context.newPage();
    await visitor.goto(shop.origin);
    await visitor.locator('#parley-launcher').waitFor();
    await visitor.keyboard.press('Tab');
    await visitor.keyboard.press('Enter');
    const chat = visitor.frameLocator('#parley-frame');
    await expect.poll(() => chat.locator(':focus').getAttribute('data-testid')).toBe('composer');
    await visitor.keyboard.type('Are you open on Sundays?');
    await visitor.keyboard.press('Enter');
    // Shown at once, waiting; the composer is empty again.
    await expect.poll(() => messages(chat).last().getAttribute('data-status')).toBe('sending');
    expect(await chat.getByTestId('composer').inputValue()).toBe('');
    release();
    // Acknowledged by the server (stored), and there once.
    await expect.poll(() => messages(chat).last().getAttribute('data-status')).toBe('sent');
    await expect
      .poll(() => chat.locator('[data-testid="message"][data-author-kind="visitor"]').count())
      .toBe(1);
    await context.close();
  });

  it('gives a site that is not allowed no chat: no launcher, a refused frame, refused session and socket', async () => {
    const widgetId = /data-parley-widget="([^"]+)"/.exec(snippet)?.[1] ?? '';
    intruder.set('/', shopPage(snippet));
    intruder.set(
      '/frame',
      `<!doctype html><title>x</title><iframe id="f" src="${server.url}/w/${widgetId}"></iframe>`,
    );
    const page = await browser.newPage();
    const refusal = page.waitForEvent('console', (m) =>
      m.text().includes('chat widget not loaded: origin_not_allowed'),
    );
    await page.goto(intruder.origin);
    await refusal;
    expect(await page.locator('#parley-launcher').count()).toBe(0);

    await page.goto(`${intruder.origin}/frame`);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    // Chromium replaces a frame refused by frame-ancestors with its own error page: no chat app inside.
    await page.waitForTimeout(500);
    const hasApp = await frame?.evaluate(() => document.querySelector('#app') !== null).catch(() => false);
    expect(hasApp ?? false).toBe(false);

    const answers = await page.evaluate(
      async ({ parley, widget }) => {
        const session = await fetch(`${parley}/api/v1/visitor/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ widgetId: widget, hostOrigin: location.origin }),
        })
          .then((r) => r.status)
          .catch(() => 'network error');
        const socket = await new Promise<string>((resolve) => {
          const ws = new WebSocket(`${parley.replace('http', 'ws')}/ws`, ['parley.v1']);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        });
        return { session, socket };
      },
      { parley: server.url, widget: widgetId },
    );
    expect(answers.session).not.toBe(201);
    expect(answers.socket).toBe('refused');
    await page.close();
  });
});
