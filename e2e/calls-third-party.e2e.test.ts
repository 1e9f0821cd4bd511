import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Widget } from '../protocol/api.js';
import { enableCalls, SDP_ANSWER } from '../test/support/calls.js';
import { addAgent, createWidget, setupAdmin, type TestAgent } from '../test/support/clients.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, FAKE_MEDIA, hasChromium, launchChromium } from './support/browser.js';
import { messagesOn, signInOn } from './support/browser-stage.js';
import { videoFramesDecoded } from './support/call-media.js';
import { type HostPage, shopPage, startHostPage } from './support/host-page.js';

/** What a third party's own socket was told, frame by frame, for each call request it made. */
interface Refusals {
  opened: boolean;
  codes: Record<string, string>;
}

/**
 * A video call runs between the dashboard and the widget (three browser contexts in all). Two others
 * who hold the room id try to get into it from their own signed-in browsers, over their own
 * authenticated sockets: another visitor of the same shop, and a colleague who is an administrator
 * of the same workspace. Neither gets a token, joins, signals or ends it, and the call goes on:
 * video keeps being decoded on both sides.
 */
describe.skipIf(!hasChromium)(
  'a call that a third party cannot join',
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
      await addAgent(server, admin.workspaceId, 'administrator', 'grace@example.com');
    });
    afterAll(async () => {
      await browser?.close();
      await shop?.close();
      await server?.close();
      await database?.drop();
    });

    const snippet = () =>
      `<script src="${server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`;

    /** A visitor on the shop with the chat open and one message sent: a signed-in widget session. */
    async function visitorWriting(text: string): Promise<{ page: Page; frame: Frame }> {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await page.goto(shop.origin);
      await page.locator('#parley-launcher').click();
      const chat = page.frameLocator('#parley-frame');
      await expect.poll(() => messagesOn(chat).first().textContent()).toContain('How can we help');
      await chat.getByTestId('composer').fill(text);
      await chat.getByTestId('composer').press('Enter');
      await expect.poll(() => messagesOn(chat).last().getAttribute('data-status')).toBe('sent');
      const frame = page.frame({ url: /\/w\// });
      if (!frame) throw new Error('no widget frame');
      return { page, frame };
    }

    async function signIn(email: string): Promise<Page> {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signInOn(page, server, email);
      return page;
    }

    it('refuses another visitor and a colleague holding the room id, and the call goes on', async () => {
      shop.set('/', shopPage(snippet()), `script-src 'self' ${server.origin}; frame-src ${server.origin}`);
      const visitor = await visitorWriting('Can we talk?');
      const agent = await signIn('admin@example.com');
      const item = agent.getByTestId('conversation-item').first();
      await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1);
      await item.click();
      await agent.getByRole('button', { name: 'Video call' }).click();
      const chat = visitor.page.frameLocator('#parley-frame');
      await chat.getByRole('button', { name: 'Accept with video' }).click();
      await expect
        .poll(() => agent.getByTestId('call-state').textContent(), { timeout: 60_000 })
        .toContain('in progress');
      await expect.poll(() => videoFramesDecoded(agent), { timeout: 60_000 }).toBeGreaterThan(0);
      await expect.poll(() => videoFramesDecoded(visitor.frame), { timeout: 60_000 }).toBeGreaterThan(0);

      const call = await server.db.db
        .selectFrom('calls')
        .select(['id', 'state'])
        .where('state', '=', 'active')
        .executeTakeFirstOrThrow();

      // Another visitor of the same shop, signed in to their own widget session, tries from its frame.
      const stranger = await visitorWriting('Hello, I have a question too');
      const fromStranger = await tryToEnter(stranger.frame, call.id, async () => {
        const res = await fetch('/api/v1/visitor/tickets', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ widgetId: new URL(location.href).pathname.split('/').pop() }),
          credentials: 'same-origin',
        });
        const { ticket } = (await res.json()) as { ticket: string };
        return ['parley.v1', `parley.ticket.${ticket}`];
      });
      expect(fromStranger.opened).toBe(true);
      expect(fromStranger.codes).toEqual({
        token: 'call_not_found',
        join: 'call_not_found',
        signal: 'call_not_joined',
        end: 'call_not_found',
      });

      // A colleague, administrator of the same workspace, from the dashboard's own origin and session.
      const grace = await signIn('grace@example.com');
      const fromColleague = await tryToEnter(grace.mainFrame(), call.id, async () => ['parley.v1']);
      expect(fromColleague.opened).toBe(true);
      expect(fromColleague.codes).toEqual({
        token: 'call_not_found',
        join: 'call_not_found',
        signal: 'call_not_joined',
        end: 'call_not_found',
      });

      // Nothing of it reached the call: still live, and video still arriving on both sides.
      const agentBefore = await videoFramesDecoded(agent);
      const visitorBefore = await videoFramesDecoded(visitor.frame);
      await expect.poll(() => videoFramesDecoded(agent), { timeout: 30_000 }).toBeGreaterThan(agentBefore);
      await expect
        .poll(() => videoFramesDecoded(visitor.frame), { timeout: 30_000 })
        .toBeGreaterThan(visitorBefore);
      expect(await agent.getByTestId('call-state').textContent()).toContain('in progress');
      const still = await server.db.db
        .selectFrom('calls')
        .select(['state'])
        .where('id', '=', call.id)
        .executeTakeFirstOrThrow();
      expect(still.state).toBe('active');

      // And it ends cleanly for the two who are in it.
      await agent.getByRole('button', { name: 'End call' }).click();
      await expect.poll(() => agent.getByTestId('call-outcome').textContent()).toBe('The call ended.');
      await expect.poll(() => chat.getByTestId('call-outcome').textContent()).toBe('The call ended.');
    });
  },
);

/**
 * Opens a socket of its own in `frame` (authenticated the way that page's app does it) and asks, in
 * turn, for a call token, to join with a token of the right shape, to signal and to end the call.
 */
async function tryToEnter(
  frame: Frame,
  callId: string,
  protocols: () => Promise<string[]>,
): Promise<Refusals> {
  const offered = await frame.evaluate(protocols);
  return frame.evaluate(
    ({ callId, offered, sdp }) =>
      new Promise<Refusals>((done, fail) => {
        const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
        const socket = new WebSocket(`${scheme}://${location.host}/ws`, offered);
        const codes: Record<string, string> = {};
        const asks: Array<[string, object]> = [
          ['token', { type: 'call.token', callId }],
          ['join', { type: 'call.join', callId, token: 'A'.repeat(43) }],
          ['signal', { type: 'call.signal', callId, signal: { kind: 'answer', sdp } }],
          ['end', { type: 'call.end', callId }],
        ];
        const timer = setTimeout(() => fail(new Error(`no answer: ${JSON.stringify(codes)}`)), 20_000);
        socket.onopen = () => {
          for (const [rid, frame] of asks) socket.send(JSON.stringify({ ...frame, rid }));
        };
        socket.onmessage = (event) => {
          const frame = JSON.parse(String(event.data)) as { type: string; rid?: string; code?: string };
          if (!frame.rid || !asks.some(([rid]) => rid === frame.rid)) return;
          codes[frame.rid] = frame.type === 'error' ? (frame.code ?? 'error') : `accepted: ${frame.type}`;
          if (Object.keys(codes).length === asks.length) {
            clearTimeout(timer);
            socket.close();
            done({ opened: true, codes });
          }
        };
        socket.onclose = (event) => {
          if (Object.keys(codes).length < asks.length) {
            clearTimeout(timer);
            done({ opened: false, codes: { close: String(event.code) } });
          }
        };
      }),
    { callId, offered, sdp: SDP_ANSWER },
  );
}
