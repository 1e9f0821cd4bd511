import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWidget, http, type TestAgent } from '../test/support/clients.js';
import type { TestServer } from '../test/support/test-server.js';
import { axeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, messagesOn, startBrowserStage } from './support/browser-stage.js';
import { type HostPage, shopPage } from './support/host-page.js';

const SHOTS = 'test-results/widget-status';

/**
 * A widget loaded onto a conversation the team resolved while no page of the visitor was open says
 * so at once, with the same notice and composer hint as when it hears it live; reopened, the notice
 * goes; snoozed, it shows what a live snooze shows (no notice; a message wakes it).
 */
describe.skipIf(!hasChromium)(
  'widget status after a reload in Chromium',
  { timeout: BROWSER_TEST_TIMEOUT_MS },
  () => {
    let stage: BrowserStage;
    let server: TestServer;
    let shop: HostPage;
    let browser: Browser;
    let admin: TestAgent;

    beforeAll(async () => {
      stage = await startBrowserStage();
      ({ server, shop, browser, admin } = stage);
      mkdirSync(SHOTS, { recursive: true });
    });
    afterAll(async () => stage?.close());

    it('resolve, reload the host page: the widget says the conversation was resolved', async () => {
      const ws = `/api/v1/workspaces/${admin.workspaceId}`;
      const api = (method: string, path: string, body?: unknown) =>
        http(server, method, `${ws}${path}`, {
          cookie: admin.cookie,
          ...(body !== undefined ? { body } : {}),
        });
      const widget = await createWidget(server, admin, [shop.origin], 'Hi! How can we help?');
      const snippetTag = `<script src="${server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`;
      shop.set('/', shopPage(snippetTag), `script-src 'self' ${server.origin}; frame-src ${server.origin}`);

      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const visitor = await context.newPage();
      // The chat comes back open after a reload in the same tab (the loader remembers it): click the
      // launcher only when it is closed.
      const openLauncher = async () => {
        const launcher = visitor.locator('#parley-launcher');
        if ((await launcher.getAttribute('aria-expanded')) !== 'true') await launcher.click();
      };
      const openChat = async () => {
        await visitor.goto(shop.origin);
        await openLauncher();
        const chat = visitor.frameLocator('#parley-frame');
        await expect.poll(() => messagesOn(chat).first().textContent()).toContain('How can we help');
        return chat;
      };
      let chat = await openChat();
      await chat.getByTestId('composer').fill('Where is my parcel?');
      await chat.getByTestId('send').click();
      await expect
        .poll(() => messagesOn(chat).allTextContents())
        .toContainEqual(expect.stringContaining('parcel'));
      const conversationId = (await api('GET', '/conversations?status=all&view=all')).body.items[0]
        .id as string;

      // The visitor leaves the page; the team resolves meanwhile; the visitor comes back.
      await visitor.goto('about:blank');
      expect((await api('POST', `/conversations/${conversationId}/resolve`, {})).status).toBe(200);
      chat = await openChat();
      await expect
        .poll(() => chat.getByTestId('conversation-ended').textContent())
        .toContain('resolved. Write to reopen it');
      expect(await chat.getByTestId('conversation-ended').getAttribute('data-status')).toBe('resolved');
      await visitor.screenshot({ path: `${SHOTS}/reloaded-resolved-1280.png` });
      const frame = visitor.frame({ url: (u) => u.pathname.startsWith('/w/') });
      if (!frame) throw new Error('no widget frame');
      expect(await axeViolations(frame)).toEqual([]);

      // A reload while the page stays open says the same (session and subscription agree).
      await visitor.reload();
      await openLauncher();
      chat = visitor.frameLocator('#parley-frame');
      await expect
        .poll(() => chat.getByTestId('conversation-ended').textContent())
        .toContain('resolved. Write to reopen it');

      // Reopened and then snoozed by the team: after a reload, no "resolved" notice (as live).
      expect((await api('POST', `/conversations/${conversationId}/reopen`, {})).status).toBe(200);
      expect((await api('POST', `/conversations/${conversationId}/snooze`, { until: null })).status).toBe(
        200,
      );
      chat = await openChat();
      await expect
        .poll(() => messagesOn(chat).allTextContents())
        .toContainEqual(expect.stringContaining('parcel'));
      expect(await chat.getByTestId('conversation-ended').count()).toBe(0);
      await context.close();
    });
  },
);
