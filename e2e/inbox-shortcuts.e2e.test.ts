import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgent, createWidget, http, type TestAgent } from '../test/support/clients.js';
import type { TestServer } from '../test/support/test-server.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, messagesOn, signInOn, startBrowserStage } from './support/browser-stage.js';
import { type HostPage, shopPage } from './support/host-page.js';

/**
 * The inbox by keyboard in real Chromium: j/k and Alt+↓/↑ move between conversations, "a" takes a
 * queued one, "c" opens the canned responses in the reply, "e" resolves, "?" lists exactly the
 * shortcuts that work (in an accessible dialog), and nothing fires while the agent types.
 */
describe.skipIf(!hasChromium)('inbox keyboard shortcuts', { timeout: BROWSER_TEST_TIMEOUT_MS * 2 }, () => {
  let stage: BrowserStage;
  let server: TestServer;
  let shop: HostPage;
  let browser: Browser;
  let admin: TestAgent;

  beforeAll(async () => {
    stage = await startBrowserStage();
    ({ server, shop, browser, admin } = stage);
    mkdirSync('test-results/screens', { recursive: true });
  });
  afterAll(async () => stage?.close());

  /** A visitor asks for a person in the real widget; their query waits in the queue. */
  const askForPerson = async (text: string, queued: number) => {
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(shop.origin);
    await visitor.locator('#parley-launcher').click();
    const chat = visitor.frameLocator('#parley-frame');
    await expect.poll(() => messagesOn(chat).first().textContent(), { timeout: 20_000 }).toContain('Ask me');
    await chat.getByTestId('composer').fill(text);
    await chat.getByTestId('send').click();
    const ws = `/api/v1/workspaces/${admin.workspaceId}`;
    await expect
      .poll(
        async () =>
          (await http(server, 'GET', `${ws}/queries?view=queue`, { cookie: admin.cookie })).body.items
            ?.length,
        { timeout: 20_000 },
      )
      .toBe(queued);
    await visitor.context().close();
  };
  const selectedId = (page: Page) =>
    page
      .locator('[data-testid="conversation-item"]:has(a[aria-current="page"])')
      .getAttribute('data-conversation-id');
  const listedIds = async (page: Page) =>
    page
      .getByTestId('conversation-item')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-conversation-id')));

  it('moves, takes, opens canned responses and resolves by keyboard; ? lists what works', async () => {
    const ws = `/api/v1/workspaces/${admin.workspaceId}`;
    const widget = await createWidget(server, admin, [shop.origin], 'Hi! Ask me anything.');
    shop.set(
      '/',
      shopPage(`<script src="${server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`),
      `script-src 'self' ${server.origin}; frame-src ${server.origin}`,
    );
    await http(server, 'POST', `${ws}/resolution-codes`, {
      cookie: admin.cookie,
      body: { code: 'solved', label: 'Solved' },
    });
    await http(server, 'POST', `${ws}/canned-responses`, {
      cookie: admin.cookie,
      body: { shortcut: 'thanks', title: 'Thanks', body: 'Thank you for waiting.' },
    });
    const ana = await addAgent(server, admin.workspaceId, 'operator', 'ana@example.com');
    await http(server, 'PUT', `${ws}/presence`, { cookie: ana.cookie, body: { status: 'away' } });
    await askForPerson('My parcel arrived broken, I want to talk to a human', 1);
    await askForPerson('Wrong size delivered, I want to talk to a human', 2);

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInOn(page, server, 'ana@example.com');
    await expect.poll(() => page.getByTestId('conversation-item').count(), { timeout: 20_000 }).toBe(2);
    const [first, second] = await listedIds(page);

    // j from nothing selected opens the first; j, Alt+↓ at the end stay; k and Alt+↑ go back.
    await page.keyboard.press('j');
    await expect.poll(() => selectedId(page)).toBe(first);
    await page.keyboard.press('j');
    await expect.poll(() => selectedId(page)).toBe(second);
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(() => selectedId(page)).toBe(second);
    await page.keyboard.press('k');
    await expect.poll(() => selectedId(page)).toBe(first);
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(() => selectedId(page)).toBe(second);
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => selectedId(page)).toBe(first);
    expect(page.url()).toContain(`/inbox/${first}`);

    // ? lists what works here: a queued query can be taken, resolved or snoozed; search has a box.
    await page.keyboard.press('Shift+Slash');
    const dialog = page.getByTestId('shortcuts-dialog');
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-labelledby')).toBe('shortcuts-title');
    const listed = await page
      .getByTestId('shortcut')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-shortcut')));
    expect(listed).toEqual([
      'next',
      'previous',
      'assign-to-me',
      'resolve',
      'snooze',
      'focus-search',
      'canned',
      'help',
    ]);
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    await page.screenshot({ path: 'test-results/screens/shortcuts-dialog-1280.png' });
    const violations = await axeViolations(page);
    expect(describeViolations('shortcuts dialog', violations)).toBe('');
    // Keys inside the dialog are not shortcuts; Escape closes it.
    await page.keyboard.press('j');
    expect(await selectedId(page)).toBe(first);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);

    // a takes the queued conversation.
    await page.keyboard.press('a');
    await expect
      .poll(() => page.getByTestId('query-panel').getAttribute('data-state'), { timeout: 15_000 })
      .toBe('assigned');
    await expect.poll(() => page.getByTestId('shortcut-status').textContent()).toBe('Assigned to you.');

    // c opens the canned responses in the reply; typing there is text, not shortcuts.
    await page.keyboard.press('c');
    const reply = page.getByTestId('reply');
    await expect.poll(() => reply.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect.poll(() => reply.inputValue()).toBe('/');
    await expect.poll(() => page.getByTestId('canned-suggestions').textContent()).toContain('/thanks');
    await page.keyboard.type('jk');
    expect(await reply.inputValue()).toBe('/jk');
    expect(await selectedId(page)).toBe(first);
    await reply.fill('');
    // Escape leaves the field; the next key is a shortcut again.
    await page.keyboard.press('Escape');
    await expect.poll(() => reply.evaluate((el) => el === document.activeElement)).toBe(false);

    // Once taken, ? no longer offers to take it; s goes to the snooze choice (until when), e resolves.
    await page.keyboard.press('Shift+Slash');
    await dialog.waitFor();
    const now = await page
      .getByTestId('shortcut')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-shortcut')));
    expect(now).toEqual(['next', 'previous', 'resolve', 'snooze', 'focus-search', 'canned', 'help']);
    await page.getByTestId('shortcuts-close').click();
    await expect.poll(() => dialog.count()).toBe(0);
    await page.keyboard.press('s');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('snooze-choice');
    await page.keyboard.press('Escape');
    await page.keyboard.press('e');
    await expect
      .poll(() => page.getByTestId('conversation-status').textContent(), { timeout: 15_000 })
      .toContain('Resolved');

    // "/" focuses the inbox's search box (id="inbox-search"); typing there stays text.
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('inbox-search');
    await page.keyboard.type('jk');
    expect(await page.locator('#inbox-search').inputValue()).toBe('jk');
    // (The resolved conversation left the Open tab; the open one is still the one shown.)
    expect(page.url()).toContain(`/inbox/${first}`);
  });
});
