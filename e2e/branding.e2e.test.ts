import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Widget } from '../protocol/api.js';
import { createWidget, http, type TestAgent } from '../test/support/clients.js';
import { png } from '../test/support/sample-files.js';
import type { TestServer } from '../test/support/test-server.js';
import { axeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, messagesOn, signInOn, startBrowserStage } from './support/browser-stage.js';
import { type HostPage, shopPage } from './support/host-page.js';
import { heightFor, WIDTHS } from './support/layout.js';

const SHOTS = 'test-results/branding';
const TEAL = '#0f766e';
const LOOK = {
  color: TEAL,
  position: 'left',
  offsetX: 24,
  offsetY: 32,
  icon: 'help',
  label: 'Chat with us',
  poweredBy: false,
};

/**
 * The widget in the company's look, on a host page of another origin whose CSP allows no inline
 * style or script: the launcher on the left in the brand colour with its text, the bot's avatar and
 * name in the chat's header, no "Powered by" when turned off, the agent's name once a person writes;
 * a reload puts the chat back as it was and the badge counts what is unread. And the dashboard's
 * preview follows the form before anything is saved.
 */
describe.skipIf(!hasChromium)('widget branding in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let stage: BrowserStage;
  let server: TestServer;
  let shop: HostPage;
  let browser: Browser;
  let admin: TestAgent;
  let widget: Widget;
  const ws = () => `/api/v1/workspaces/${admin.workspaceId}`;

  beforeAll(async () => {
    stage = await startBrowserStage();
    ({ server, shop, browser, admin } = stage);
    mkdirSync(SHOTS, { recursive: true });
    widget = await createWidget(server, admin, [shop.origin], 'Hi! How can we help?');
    const saved = await http(server, 'PUT', `${ws()}/widgets/${widget.id}/branding`, {
      cookie: admin.cookie,
      body: LOOK,
    });
    expect(saved.status).toBe(200);
    const avatar = await fetch(`${server.url}${ws()}/widgets/${widget.id}/branding/avatar`, {
      method: 'PUT',
      headers: { origin: server.origin, cookie: admin.cookie, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(await png(300, 300)),
    });
    expect(avatar.status).toBe(200);
    const snippet = `<script src="${server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`;
    // Strict: nothing inline, styles only from the page itself.
    shop.set(
      '/',
      shopPage(snippet),
      `default-src 'self'; script-src 'self' ${server.origin}; connect-src ${server.origin}; frame-src ${server.origin}; style-src 'self'; img-src 'self'`,
    );
  });
  afterAll(async () => stage?.close());

  /** A visitor's tab, with every CSP complaint of the host page and the frame collected. */
  async function visit(width: number) {
    const context = await browser.newContext({ viewport: { width, height: heightFor(width) } });
    const page = await context.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
    });
    await page.goto(shop.origin);
    return { context, page, cspErrors, launcher: page.locator('#parley-launcher') };
  }
  const frameOf = (page: Page) => {
    const frame = page.frame({ url: (u) => u.pathname.startsWith('/w/') });
    if (!frame) throw new Error('no widget frame');
    return frame;
  };

  it.each(WIDTHS)(
    'at %i px: the launcher and the chat in the brand look, by keyboard alone, axe clean',
    async (width) => {
      const { context, page, cspErrors, launcher } = await visit(width);
      await expect.poll(() => launcher.textContent()).toBe('Chat with us');
      expect(await launcher.getAttribute('aria-label')).toBe('Chat with us');
      const style = await launcher.evaluate((el) => {
        const s = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return { bg: s.backgroundColor, color: s.color, left: box.left, bottom: innerHeight - box.bottom };
      });
      // On the left, at the offsets set, in teal with white text (teal reaches 4.5:1 with white).
      expect(style).toEqual({ bg: 'rgb(15, 118, 110)', color: 'rgb(255, 255, 255)', left: 24, bottom: 32 });
      // The launcher's region (the shop page's own structure is the shop's).
      expect(await axeViolations(page, ['#parley-chat'])).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/launcher-${width}.png` });

      // Keyboard only: Tab reaches the launcher, Enter opens the chat, the focus goes into it.
      const ring = () =>
        launcher.evaluate((el) => {
          const s = getComputedStyle(el);
          return [s.outlineStyle, s.outlineWidth, s.outlineColor];
        });
      expect((await ring())[0]).toBe('none');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('parley-launcher');
      // A focus ring in the brand colour for a keyboard user, whatever the host's reset stylesheet says.
      expect(await ring()).toEqual(['solid', '3px', 'rgb(15, 118, 110)']);
      await page.keyboard.press('Enter');
      const chat = page.frameLocator('#parley-frame');
      await expect.poll(() => messagesOn(chat).first().textContent()).toContain('How can we help');
      // What the visitor types now goes into the composer.
      await expect
        .poll(async () => {
          await page.keyboard.type('x');
          return chat.getByTestId('composer').inputValue();
        })
        .toMatch(/^x+$/);
      expect(await chat.getByTestId('chat-title').textContent()).toBe('Assistant');
      const avatar = chat.getByTestId('chat-avatar');
      await expect
        .poll(() => avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
        .toBe(128);
      expect(await chat.getByTestId('powered-by').count()).toBe(0);
      const header = await chat
        .getByTestId('chat-header')
        .evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]);
      expect(header).toEqual(['rgb(15, 118, 110)', 'rgb(255, 255, 255)']);
      expect(await axeViolations(frameOf(page))).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/open-${width}.png` });
      // Escape closes it and gives the focus back to the launcher.
      await page.keyboard.press('Escape');
      await expect.poll(() => launcher.getAttribute('aria-expanded')).toBe('false');
      expect(cspErrors).toEqual([]);
      await context.close();
    },
  );

  it('shows the agent once a person writes; a reload puts the chat back and the badge counts what is unread', async () => {
    const { context, page, cspErrors, launcher } = await visit(1280);
    await launcher.click();
    const chat = page.frameLocator('#parley-frame');
    // As a person would: the greeting is there before the question is typed. Typed straight after the
    // click, Send once stayed disabled for 30 s in CI (not reproduced since); the greeting and the
    // composer's value now tell a chat that never started from a text that never arrived.
    await expect.poll(() => messagesOn(chat).first().textContent()).toContain('How can we help');
    await chat.getByTestId('composer').fill('Is my order on its way?');
    expect(await chat.getByTestId('composer').inputValue()).toBe('Is my order on its way?');
    await chat.getByTestId('send').click();
    await expect
      .poll(() => messagesOn(chat).allTextContents())
      .toContainEqual(expect.stringContaining('on its way'));
    const conversationId = (
      await http(server, 'GET', `${ws()}/conversations?status=all&view=all`, { cookie: admin.cookie })
    ).body.items[0].id as string;
    const agentWrites = async (body: string) =>
      expect(
        (
          await http(server, 'POST', `${ws()}/conversations/${conversationId}/messages`, {
            cookie: admin.cookie,
            body: { clientId: randomUUID(), body },
          })
        ).status,
      ).toBe(201);

    // A person takes over: the header names them, with their initial instead of the bot's picture.
    await agentWrites('Hello, Ada here. Let me check.');
    await expect.poll(() => chat.getByTestId('chat-title').textContent()).toBe('Ada Admin');
    expect(await chat.getByTestId('chat-avatar').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/agent-1280.png` });

    // Reload with the chat open: it comes back open, with the conversation, without a click, and
    // without taking the focus from the page.
    await page.reload();
    await expect.poll(() => launcher.getAttribute('aria-expanded')).toBe('true');
    await expect
      .poll(() => messagesOn(chat).allTextContents())
      .toContainEqual(expect.stringContaining('Ada here'));
    expect(await chat.locator('.pw-header').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY');
    // The host page holds one flag for Parley, nothing about the visitor.
    const stored = await page.evaluate(() => Object.entries(sessionStorage));
    expect(stored).toEqual([[`parley:${widget.id}`, '1']]);

    // Closed, two answers arrive: the badge says 2; after a reload it still does, the chat closed.
    await launcher.click();
    await expect.poll(() => launcher.getAttribute('aria-expanded')).toBe('false');
    await agentWrites('Found it.');
    await agentWrites('It ships tomorrow.');
    await expect
      .poll(() => launcher.getAttribute('aria-label'), { timeout: 15_000 })
      .toBe('Chat with us: Open chat (2 unread)');
    await page.reload();
    await expect
      .poll(() => launcher.getAttribute('aria-label'), { timeout: 15_000 })
      .toBe('Chat with us: Open chat (2 unread)');
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#parley-frame').isVisible()).toBe(false);
    await page.screenshot({ path: `${SHOTS}/badge-after-reload-1280.png` });
    // Opened, everything is read: the badge goes.
    await launcher.click();
    await expect.poll(() => launcher.getAttribute('aria-label')).toBe('Chat with us');
    expect(cspErrors).toEqual([]);
    await context.close();
  });

  it('the dashboard preview follows the colour and the label as they are typed, before saving', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: heightFor(1280) } });
    const page = await context.newPage();
    await signInOn(page, server, 'admin@example.com');
    await page.goto(`${server.url}/widgets/${widget.id}`);
    const color = page.getByTestId('branding-color');
    await expect.poll(() => color.inputValue()).toBe(TEAL);
    const header = page.getByTestId('preview-header');
    const look = () =>
      header.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]);
    expect(await look()).toEqual(['rgb(15, 118, 110)', 'rgb(255, 255, 255)']);

    // Typed, key by key: the preview takes the colour as soon as it is a whole #rrggbb.
    await color.fill('');
    await color.pressSequentially('#fde047');
    await expect.poll(look).toEqual(['rgb(253, 224, 71)', 'rgb(0, 0, 0)']);
    expect(await page.getByTestId('branding-contrast').textContent()).toContain('black');
    await page.getByTestId('branding-label').fill('Questions?');
    await expect.poll(() => page.getByTestId('preview-launcher').textContent()).toBe('Questions?');
    // Nothing saved yet.
    const stored = await http(server, 'GET', `${ws()}/widgets/${widget.id}/branding`, {
      cookie: admin.cookie,
    });
    expect(stored.body).toMatchObject({ color: TEAL, label: 'Chat with us' });

    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: heightFor(width) });
      await page.getByTestId('branding-card').scrollIntoViewIfNeeded();
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      await page.screenshot({ path: `${SHOTS}/dashboard-preview-${width}.png`, fullPage: false });
    }
    expect(await axeViolations(page)).toEqual([]);

    // Saved: the widget's public look follows.
    await page.getByTestId('branding-save').click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Look saved.' }).count()).toBe(1);
    const pub = await http(server, 'GET', `/api/v1/widgets/${widget.id}/public`, { origin: shop.origin });
    expect(pub.body.launcher).toMatchObject({ color: '#fde047', ink: '#000000', label: 'Questions?' });
    await context.close();
  });
});
