import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectVisitor,
  createWidget,
  http,
  type Probe,
  startVisitor,
  type TestAgent,
} from '../test/support/clients.js';
import type { TestServer } from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, signInOn, startBrowserStage } from './support/browser-stage.js';

const SHOTS = join(process.cwd(), 'e2e', '.screenshots');

/**
 * A label one agent puts on a conversation shows on a second agent's screen without a reload: in
 * the open conversation's header, in its row of the list, and in a list filtered by that label;
 * taking it off clears all three.
 */
describe.skipIf(!hasChromium)('labels live in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS * 2 }, () => {
  let stage: BrowserStage;
  let server: TestServer;
  let browser: Browser;
  let admin: TestAgent;
  let visitor: Probe | undefined;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stage = await startBrowserStage();
    ({ server, browser, admin } = stage);
    await addAgent(server, admin.workspaceId, 'supervisor', 'sue@example.com');
  });
  afterAll(async () => {
    visitor?.close();
    await stage?.close();
  });

  /** Sue's dashboard socket passes through here, so the test can cut it and hold it down. */
  let cut = false;
  let sueSocket: WebSocketRoute | null = null;
  const signIn = async (email: string, routeSocket = false): Promise<Page> => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    if (routeSocket)
      await page.routeWebSocket(/\/ws$/, (ws) => {
        if (cut) return ws.close({ code: 1011, reason: 'cut by the test' });
        sueSocket = ws;
        ws.connectToServer();
      });
    await signInOn(page, server, email);
    return page;
  };
  const items = (page: Page) => page.getByTestId('conversation-item');
  const headerChips = (page: Page) =>
    page.getByTestId('conversation-labels').getByTestId('label-chip').allTextContents();
  const rowChips = (page: Page) => items(page).first().getByTestId('label-chip').allTextContents();

  it('shows a label another agent adds or removes at once, in the header, the list and the filter', async () => {
    const widget = await createWidget(server, admin);
    const created = await http(server, 'POST', `/api/v1/workspaces/${admin.workspaceId}/labels`, {
      cookie: admin.cookie,
      body: { name: 'Billing', colour: '#aa3300' },
    });
    expect(created.status).toBe(201);
    const session = await startVisitor(server, widget);
    visitor = await connectVisitor(server, session.credential);
    visitor.sendMessage(session.conversationId, 'I was charged twice');
    await visitor.next('message.ack');

    const adminPage = await signIn('admin@example.com');
    const suePage = await signIn('sue@example.com', true);
    for (const page of [adminPage, suePage]) {
      await expect.poll(() => items(page).count(), { timeout: 15_000 }).toBe(1);
      await items(page).first().getByRole('link').click();
      await expect.poll(() => page.getByTestId('label-add').count()).toBe(1);
    }
    const sueUrl = suePage.url();

    // The administrator labels it; Sue's open conversation and her list show it, no reload.
    await adminPage.getByTestId('label-add').selectOption({ label: 'Billing' });
    await expect.poll(() => headerChips(suePage)).toEqual([expect.stringContaining('Billing')]);
    await expect.poll(() => rowChips(suePage)).toEqual([expect.stringContaining('Billing')]);
    expect(suePage.url()).toBe(sueUrl);
    await suePage.screenshot({ path: join(SHOTS, 'labels-live-second-agent.png') });

    // Sue filters her list by the label; the administrator takes it off: her filtered list empties.
    await suePage.getByTestId('search-filters-toggle').click();
    await suePage.getByTestId('filter-label').selectOption({ label: 'Billing' });
    await expect.poll(() => suePage.getByTestId('search-summary').textContent()).toBe('1 found');
    await adminPage.getByTestId('conversation-labels').getByTestId('label-remove').click();
    await expect.poll(() => headerChips(suePage)).toEqual([]);
    await expect
      .poll(() => suePage.getByTestId('search-summary').textContent())
      .toBe('No conversation matches.');
    // And on again: the filtered list finds it without Sue touching anything.
    await adminPage.getByTestId('label-add').selectOption({ label: 'Billing' });
    await expect.poll(() => suePage.getByTestId('search-summary').textContent()).toBe('1 found');
    await expect.poll(() => headerChips(suePage)).toEqual([expect.stringContaining('Billing')]);

    // A label created after Sue's page loaded, put on at once: her page learns the new label too.
    const urgent = await http(server, 'POST', `/api/v1/workspaces/${admin.workspaceId}/labels`, {
      cookie: admin.cookie,
      body: { name: 'Urgent', colour: '#cc0000' },
    });
    expect(urgent.status).toBe(201);
    const put = await http(
      server,
      'PUT',
      `/api/v1/workspaces/${admin.workspaceId}/conversations/${session.conversationId}/labels/${urgent.body.id}`,
      { cookie: admin.cookie, body: {} },
    );
    expect(put.status).toBe(204);
    await expect
      .poll(() => headerChips(suePage))
      .toEqual([expect.stringContaining('Billing'), expect.stringContaining('Urgent')]);

    // An administrator renames one label and deletes the other, the one Sue filters by: her screen
    // follows, and her filter goes with the deleted label (her list shows the conversation again).
    await expect.poll(() => suePage.getByTestId('filter-label').inputValue()).not.toBe('');
    const labelsPath = `/api/v1/workspaces/${admin.workspaceId}/labels`;
    await http(server, 'PUT', `${labelsPath}/${urgent.body.id}`, {
      cookie: admin.cookie,
      body: { name: 'Escalated', colour: '#cc0000' },
    });
    await http(server, 'DELETE', `${labelsPath}/${created.body.id}`, { cookie: admin.cookie, body: {} });
    await expect.poll(() => headerChips(suePage)).toEqual([expect.stringContaining('Escalated')]);
    await expect.poll(() => suePage.getByTestId('filter-label').inputValue()).toBe('');
    await expect.poll(() => rowChips(suePage)).toEqual([expect.stringContaining('Escalated')]);

    // Sue's connection drops; a label goes on meanwhile (no frame can reach her); once she is back,
    // her screen reads the labels again.
    cut = true;
    await (sueSocket as WebSocketRoute | null)?.close({ code: 1011, reason: 'cut by the test' });
    await expect.poll(() => suePage.getByTestId('connection-banner').count(), { timeout: 15_000 }).toBe(1);
    const vip = await http(server, 'POST', labelsPath, {
      cookie: admin.cookie,
      body: { name: 'VIP', colour: '#0066cc' },
    });
    expect(vip.status).toBe(201);
    const putVip = await http(
      server,
      'PUT',
      `/api/v1/workspaces/${admin.workspaceId}/conversations/${session.conversationId}/labels/${vip.body.id}`,
      { cookie: admin.cookie, body: {} },
    );
    expect(putVip.status).toBe(204);
    cut = false;
    await expect.poll(() => suePage.getByTestId('connection-banner').count(), { timeout: 30_000 }).toBe(0);
    await expect
      .poll(() => headerChips(suePage), { timeout: 15_000 })
      .toEqual([expect.stringContaining('Escalated'), expect.stringContaining('VIP')]);
    expect(suePage.url()).toBe(sueUrl);
  });
});
