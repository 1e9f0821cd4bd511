import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Widget } from '../protocol/api.js';
import { enableCalls } from '../test/support/calls.js';
import { createWidget, PASSWORD, setupAdmin, type TestAgent } from '../test/support/clients.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, FAKE_MEDIA, hasChromium, launchChromium } from './support/browser.js';
import { messagesOn } from './support/browser-stage.js';
import { videoFramesDecoded, videoFramesInWidget } from './support/call-media.js';
import { type HostPage, shopPage, startHostPage } from './support/host-page.js';

/**
 * Both real UIs, keyboard only: the agent presses "Video call" in the dashboard, the widget on a shop
 * of another origin rings, the visitor accepts with video, both sides decode the other's video, the
 * visitor hangs up and both UIs say so; a second call the visitor declines reads "declined" on the
 * dashboard. The call view is a chunk of its own, loaded when a call rings.
 */
describe.skipIf(!hasChromium)(
  'calls between the dashboard and the widget',
  { timeout: BROWSER_TEST_TIMEOUT_MS * 2 },
  () => {
    let database: TestDatabase;
    let server: TestServer;
    let shop: HostPage;
    let browser: Browser;
    let admin: TestAgent;
    let widget: Widget;

    beforeAll(async () => {
      database = await createTestDatabase('sqlite');
      server = await startTestServer({ database, host: 'localhost' });
      shop = await startHostPage();
      browser = await launchChromium(FAKE_MEDIA);
      admin = await setupAdmin(server);
      widget = await createWidget(server, admin, [shop.origin]);
      await enableCalls(server, admin, widget.id);
    });
    afterAll(async () => {
      await browser?.close();
      await shop?.close();
      await server?.close();
      await database?.drop();
    });

    it('rings the widget, connects both ways, and ends on both sides', async () => {
      const snippet = `<script src="${server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`;
      shop.set('/', shopPage(snippet), `script-src 'self' ${server.origin}; frame-src ${server.origin}`);
      const visitor = await (await browser.newContext({ viewport: { width: 375, height: 667 } })).newPage();
      await visitor.goto(shop.origin);
      await tabTo(visitor, (p) => p.evaluate(() => document.activeElement?.id === 'parley-launcher'));
      await visitor.keyboard.press('Enter');
      const chat = visitor.frameLocator('#parley-frame');
      await expect.poll(() => messagesOn(chat).first().textContent()).toContain('How can we help');
      await visitor.keyboard.type('Can we talk?');
      await visitor.keyboard.press('Enter');

      const agent = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await agent.goto(`${server.url}/login`);
      await agent.getByTestId('login-email').fill('admin@example.com');
      await agent.getByTestId('login-password').fill(PASSWORD);
      await agent.keyboard.press('Enter');
      await agent.waitForURL(/\/inbox/);
      const item = agent.getByTestId('conversation-item').first();
      await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1);
      await item.click();
      await tabTo(agent, textIs('Video call'));
      await agent.keyboard.press('Enter');

      // The widget rings, with the focus on "Accept with video".
      await expect
        .poll(() => chat.getByTestId('call-state').textContent(), { timeout: 15_000 })
        .toContain('is calling you');
      await visitor.screenshot({ path: '/tmp/parley-call-widget-ringing-375.png' });
      await expectNoViolations(visitor, 'ringing');
      await expect.poll(() => focusedText(chat)).toBe('Accept with video');
      await visitor.keyboard.press('Enter');

      await expect
        .poll(() => agent.getByTestId('call-state').textContent(), { timeout: 60_000 })
        .toContain('in progress');
      await expect
        .poll(() => chat.getByTestId('call-state').textContent(), { timeout: 60_000 })
        .toBe('Call in progress');
      await expect.poll(() => videoFramesDecoded(agent), { timeout: 60_000 }).toBeGreaterThan(0);
      await expect.poll(() => videoFramesInWidget(visitor), { timeout: 60_000 }).toBeGreaterThan(0);
      await visitor.screenshot({ path: '/tmp/parley-call-widget-active-375.png' });
      await agent.screenshot({ path: '/tmp/parley-call-widget-agent-1280.png' });
      await expectNoViolations(visitor, 'in call');

      // The visitor hangs up, keyboard only: both UIs say the call ended.
      await tabToFrame(visitor, chat, 'End call');
      await visitor.keyboard.press('Enter');
      await expect.poll(() => chat.getByTestId('call-outcome').textContent()).toBe('The call ended.');
      await expect.poll(() => agent.getByTestId('call-outcome').textContent()).toBe('The call ended.');
      await visitor.screenshot({ path: '/tmp/parley-call-widget-ended-375.png' });
      await visitor.keyboard.press('Enter');
      await expect.poll(() => chat.getByTestId('call').count()).toBe(0);

      // A second call, declined in the widget: the dashboard says so.
      await tabTo(agent, textIs('Voice call'));
      await agent.keyboard.press('Enter');
      await expect
        .poll(() => chat.getByTestId('call-state').textContent(), { timeout: 15_000 })
        .toContain('is calling you');
      await tabToFrame(visitor, chat, 'Decline');
      await visitor.keyboard.press('Enter');
      await expect
        .poll(() => agent.getByTestId('call-outcome').textContent())
        .toBe('The visitor declined the call.');
      await expect.poll(() => chat.getByTestId('call-outcome').textContent()).toBe('You declined the call.');
    });
  },
);

const textIs = (name: string) => (p: Page) =>
  p.evaluate((n) => document.activeElement?.textContent?.trim() === n, name);

async function tabTo(page: Page, done: (p: Page) => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (await done(page)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tab never reached its target');
}

async function focusedText(frame: FrameLocator): Promise<string> {
  return frame
    .locator(':focus')
    .evaluate((e) => e.textContent?.trim() ?? '')
    .catch(() => '');
}

async function tabToFrame(page: Page, frame: FrameLocator, name: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if ((await focusedText(frame)) === name) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached "${name}" in the widget`);
}

async function expectNoViolations(page: Page, where: string): Promise<void> {
  const frame = page.frame({ url: /\/w\// });
  if (!frame) throw new Error('no widget frame');
  const violations = await axeViolations(frame);
  expect(violations, describeViolations(`widget ${where}`, violations)).toEqual([]);
}
