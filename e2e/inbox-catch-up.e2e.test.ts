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
import { checkEveryWidth } from './support/check-screen.js';

/**
 * The inbox's first page and its tab counts are read over HTTP while the socket is still joining
 * the workspace's updates. A query given to the operator in between (by a supervisor, or by the
 * round-robin that runs when her socket connects) sent its update before she could receive it: her
 * inbox must still show it, without a reload. The test holds her socket's `inbox.subscribe` back to
 * open that window for certain. Likewise a query taken from her while her socket was down leaves her
 * list once she is back, not only her counts.
 */
const SHOTS = join(process.cwd(), 'e2e', '.screenshots');

describe.skipIf(!hasChromium)('inbox catch-up in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let stage: BrowserStage;
  let server: TestServer;
  let browser: Browser;
  let admin: TestAgent;
  let ana: TestAgent;
  let ben: TestAgent;
  let visitor: Probe | undefined;
  const ws = () => `/api/v1/workspaces/${admin.workspaceId}`;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stage = await startBrowserStage();
    ({ server, browser, admin } = stage);
    ana = await addAgent(server, admin.workspaceId, 'operator', 'ana@example.com');
    ben = await addAgent(server, admin.workspaceId, 'operator', 'ben@example.com');
  });
  afterAll(async () => {
    visitor?.close();
    await stage?.close();
  });

  it('shows a query assigned between the page load and the inbox subscription, and drops one taken while away', async () => {
    const widget = await createWidget(server, admin);
    // Away: nothing reaches Ana by round-robin, so the supervisor's assignment is the only change.
    await http(server, 'PUT', `${ws()}/presence`, { cookie: ana.cookie, body: { status: 'away' } });
    const session = await startVisitor(server, widget);
    visitor = await connectVisitor(server, session.credential);
    visitor.sendMessage(session.conversationId, 'My vase arrived in pieces');
    await visitor.next('message.ack');
    const queued = async () =>
      (await http(server, 'GET', `${ws()}/queries?view=all`, { cookie: admin.cookie })).body.items;
    await expect
      .poll(async () => (await queued()).map((q: { state: string }) => q.state))
      .toEqual(['queued']);
    const [query] = await queued();

    // Ana's page: every frame it sends goes through, except its first inbox subscription, held here.
    const held: Array<() => void> = [];
    let holding = true;
    let cut = false;
    let socket: WebSocketRoute | null = null;
    const page: Page = await (await browser.newContext()).newPage();
    await page.routeWebSocket(/\/ws$/, (route) => {
      if (cut) return route.close({ code: 1011, reason: 'cut by the test' });
      socket = route;
      const upstream = route.connectToServer();
      route.onMessage((frame) => {
        const send = () => upstream.send(frame);
        if (holding && typeof frame === 'string' && frame.includes('"inbox.subscribe"')) held.push(send);
        else send();
      });
    });
    const countsRead = page.waitForResponse((r) => r.url().endsWith('/conversations/counts') && r.ok());
    await signInOn(page, server, 'ana@example.com');
    await countsRead;
    await expect.poll(() => held.length).toBe(1);
    await expect.poll(() => page.getByTestId('view-mine').textContent()).toBe('Mine 0');

    // The supervisor gives her the query: its update finds no subscription of hers to go to.
    const assigned = await http(server, 'POST', `${ws()}/queries/${query.id}/assign`, {
      cookie: admin.cookie,
      body: { userId: ana.me.user.id },
    });
    expect(assigned.status).toBe(200);

    // Her subscription takes hold: the inbox reads again, and the query is hers.
    holding = false;
    for (const send of held.splice(0)) send();
    await expect.poll(() => page.getByTestId('view-mine').textContent()).toBe('Mine 1');
    await page.getByTestId('view-mine').click();
    await expect.poll(() => page.getByTestId('conversation-item').count()).toBe(1);
    await checkEveryWidth(page, SHOTS, 'inbox-catch-up-mine');

    // Her connection drops; meanwhile the supervisor gives the query to Ben (no frame can reach her).
    cut = true;
    await (socket as WebSocketRoute | null)?.close({ code: 1011, reason: 'cut by the test' });
    await expect.poll(() => page.getByTestId('connection-banner').count(), { timeout: 15_000 }).toBe(1);
    const moved = await http(server, 'POST', `${ws()}/queries/${query.id}/assign`, {
      cookie: admin.cookie,
      body: { userId: ben.me.user.id },
    });
    expect(moved.status).toBe(200);
    // Back: the conversation is no longer hers, in the counts and in the list.
    cut = false;
    await expect.poll(() => page.getByTestId('connection-banner').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('view-mine').textContent()).toBe('Mine 0');
    await expect.poll(() => page.getByTestId('conversation-item').count()).toBe(0);
    // The workspace has conversations, only none of hers: no "add the widget to your site" hint.
    await expect.poll(() => page.getByTestId('tab-empty').textContent()).toBe('No open conversations here.');
    await checkEveryWidth(page, SHOTS, 'inbox-catch-up-taken');
  });
});
