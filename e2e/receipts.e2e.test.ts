import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgent, createWidget, http, login, type TestAgent } from '../test/support/clients.js';
import type { TestServer } from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, messagesOn, signInOn, startBrowserStage } from './support/browser-stage.js';
import { type HostPage, shopPage } from './support/host-page.js';
import { resize } from './support/layout.js';

/**
 * Read receipts, unread counts and the reply box in real Chromium: a visitor on a shop of another
 * origin and one agent on two devices (a desk and a phone). The agent's presence survives a reload;
 * a read on the desk clears the count on the phone; "/tha" + Enter inserts the highlighted "/thanks"
 * with the response's fallback for an unknown name; the visitor sees "Seen", the agent "Seen by the
 * visitor"; the widget's badge counts only while the chat is closed.
 */
describe.skipIf(!hasChromium)('read receipts in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS * 2 }, () => {
  let stage: BrowserStage;
  let server: TestServer;
  let shop: HostPage;
  let browser: Browser;
  let admin: TestAgent;

  beforeAll(async () => {
    stage = await startBrowserStage();
    ({ server, shop, browser, admin } = stage);
  });
  afterAll(async () => stage?.close());

  const signIn = async (width: number) => {
    const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
    await signInOn(page, server, 'admin@example.com');
    return page;
  };
  const loginCookie = async (email: string) => (await login(server, email)).cookie;
  const unreadOn = (page: Page, conversationId: string) =>
    page
      .locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`)
      .getAttribute('data-unread');

  it('carries receipts and unread counts between a visitor and an agent on two devices', async () => {
    const ws = `/api/v1/workspaces/${admin.workspaceId}`;
    const widget = await createWidget(server, admin, [shop.origin], 'Hi! How can we help?');
    for (const body of [
      { shortcut: 'thanks', title: 'Thanks', body: 'Thanks {visitor.name|friend}, glad to help!' },
      { shortcut: 'thanks-order', title: 'Thanks for ordering', body: 'Thanks for your order.' },
    ]) {
      const res = await http(server, 'POST', `${ws}/canned-responses`, { cookie: admin.cookie, body });
      expect(res.status).toBe(201);
    }

    // Presence: "away" survives a reload (the server's, not an assumed "online").
    const desk = await signIn(1280);
    const toggle = desk.getByTestId('presence-toggle');
    await expect.poll(() => toggle.textContent()).toContain('Online');
    await toggle.click();
    await expect.poll(() => toggle.textContent()).toContain('Away');
    await desk.reload();
    await expect.poll(() => desk.getByTestId('presence-toggle').textContent()).toContain('Away');
    const phone = await signIn(375);

    // The visitor writes from the shop (another origin).
    const snippet = `<script src="${server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`;
    shop.set('/', shopPage(snippet), `script-src 'self' ${server.origin}; frame-src ${server.origin}`);
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(shop.origin);
    const launcher = visitor.locator('#parley-launcher');
    await launcher.click();
    const chat = visitor.frameLocator('#parley-frame');
    await expect.poll(() => messagesOn(chat).first().textContent()).toContain('How can we help');
    await chat.getByTestId('composer').fill('Do you ship to Norway?');
    await chat.getByTestId('send').click();

    // Unread on both devices, from the server's cursor.
    const item = desk.getByTestId('conversation-item').first();
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1);
    const conversationId = (await item.getAttribute('data-conversation-id')) as string;
    await expect.poll(() => unreadOn(desk, conversationId)).toBe('true');
    await expect.poll(() => unreadOn(phone, conversationId)).toBe('true');
    await expect.poll(() => phone.getByTestId('unread-count').first().textContent()).toMatch(/^[1-9]/);

    // Read on the desk: the phone's count clears too.
    await item.click();
    await expect.poll(() => messagesOn(desk).last().textContent()).toContain('ship to Norway');
    await expect.poll(() => unreadOn(phone, conversationId), { timeout: 15_000 }).toBe('false');

    // "/tha" with "/thanks" highlighted: Enter inserts it (the fallback for an unknown name), never "/tha".
    const reply = desk.getByTestId('reply');
    await reply.fill('/tha');
    const suggestions = desk.getByRole('listbox', { name: 'Canned responses' });
    await expect.poll(() => suggestions.getByRole('option').count()).toBe(2);
    expect(await suggestions.getByRole('option', { selected: true }).textContent()).toContain('/thanks');
    for (const width of [375, 1280, 1920]) {
      await desk.setViewportSize({ width, height: 900 });
      await desk.screenshot({ path: `test-results/receipts-suggestions-${width}.png` });
    }
    await desk.setViewportSize({ width: 1280, height: 900 });
    await reply.press('Enter');
    await expect.poll(() => reply.inputValue()).toBe('Thanks friend, glad to help!');
    // Tab picks the highlighted one as well; the arrow moves the highlight.
    await reply.fill('/thanks');
    await reply.press('ArrowDown');
    await reply.press('Tab');
    await expect.poll(() => reply.inputValue()).toBe('Thanks for your order.');
    await reply.fill('Yes, we ship to Norway.');
    await reply.press('Enter');

    // The visitor has the chat open: no badge, and the agent sees it was read.
    await expect.poll(() => messagesOn(chat).last().textContent()).toContain('ship to Norway.');
    await expect
      .poll(() => desk.getByTestId('visitor-read-receipt').textContent(), { timeout: 15_000 })
      .toContain('Seen by the visitor');
    expect(await launcher.getAttribute('aria-label')).toBe('Open chat');

    // The agent, with the conversation open, has read the visitor's next message: "Seen".
    await chat.getByTestId('composer').fill('Great, thanks');
    await chat.getByTestId('send').click();
    await expect.poll(() => chat.getByTestId('seen').count(), { timeout: 15_000 }).toBe(1);
    for (const width of [375, 1280, 1920]) {
      await resize(visitor, width, 900);
      await visitor.screenshot({ path: `test-results/receipts-widget-${width}.png` });
    }

    // The chat closed: the badge counts the agent's next message; opening it clears the badge.
    await launcher.click();
    await reply.fill('Anything else?');
    await reply.press('Enter');
    await expect
      .poll(() => launcher.getAttribute('aria-label'), { timeout: 15_000 })
      .toBe('Open chat (1 unread)');
    await expect.poll(() => desk.getByTestId('visitor-read-receipt').textContent()).toContain('Delivered');
    await launcher.click();
    await expect.poll(() => launcher.getAttribute('aria-label')).toBe('Open chat');
    await expect
      .poll(() => desk.getByTestId('visitor-read-receipt').textContent())
      .toContain('Seen by the visitor');
  });

  it('notifies an agent of new messages in their own conversations, not the one they look at', async () => {
    const ws = `/api/v1/workspaces/${admin.workspaceId}`;
    const widget = await createWidget(server, admin, [shop.origin], 'Hello from the shop.');
    await addAgent(server, admin.workspaceId, 'operator', 'ana@example.com');
    const context = await browser.newContext();
    await context.grantPermissions(['notifications'], { origin: server.url });
    // Records each desktop notification the page shows (it is still shown).
    await context.addInitScript(() => {
      const Real = window.Notification;
      const shown: string[] = [];
      (window as unknown as { shownNotes: string[] }).shownNotes = shown;
      window.Notification = class extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push(`${title}: ${options?.body ?? ''}`);
        }
      } as typeof Notification;
    });
    const ana = await context.newPage();
    await signInOn(ana, server, 'ana@example.com');
    const notes = () =>
      ana.evaluate(() => (window as unknown as { shownNotes: string[] }).shownNotes.slice());

    const snippet = `<script src="${server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`;
    shop.set('/two', shopPage(snippet), `script-src 'self' ${server.origin}; frame-src ${server.origin}`);
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${shop.origin}/two`);
    await visitor.locator('#parley-launcher').click();
    const chat = visitor.frameLocator('#parley-frame');
    const say = async (text: string) => {
      await chat.getByTestId('composer').fill(text);
      await chat.getByTestId('send').click();
      await expect.poll(() => messagesOn(chat).last().textContent()).toContain(text);
    };
    await say('Is my order on its way?');
    // No knowledge base: the conversation goes to people, and Ana (online; the administrator is away)
    // gets it, as she got the first test's conversation when she came online.
    await expect.poll(() => ana.getByTestId('view-mine').textContent(), { timeout: 15_000 }).toBe('Mine 2');
    await say('Order 4711, placed on Monday');
    await expect
      .poll(notes, { timeout: 15_000 })
      .toContainEqual(expect.stringMatching(/^New message: .* wrote to you\.$/));
    const before = (await notes()).filter((n) => n.startsWith('New message')).length;

    // The conversation open in a visible tab: nothing more.
    await ana.getByTestId('conversation-item').first().click();
    await expect.poll(() => messagesOn(ana).last().textContent()).toContain('Order 4711');
    await say('Any news?');
    await expect.poll(() => messagesOn(ana).last().textContent()).toContain('Any news?');
    expect((await notes()).filter((n) => n.startsWith('New message')).length).toBe(before);
    // Desktop notifications off (stored for Ana): a message elsewhere shows none either.
    await ana.getByTestId('notify-desktop').uncheck();
    await expect
      .poll(
        async () =>
          (
            await http(server, 'GET', `${ws}/notification-settings`, {
              cookie: await loginCookie('ana@example.com'),
            })
          ).body,
      )
      .toEqual({ sound: true, desktop: false });
    await ana.goto(`${server.url}/inbox`);
    await expect.poll(() => ana.getByTestId('notify-desktop').isChecked()).toBe(false);
    await say('Hello?');
    await expect.poll(() => ana.getByTestId('unread-count').first().textContent()).toMatch(/^1/);
    expect((await notes()).filter((n) => n.startsWith('New message')).length).toBe(0);
    expect(before).toBeGreaterThan(0);
  });
});
