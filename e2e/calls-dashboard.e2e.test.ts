import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitorSession, Widget } from '../protocol/api.js';
import type { CallSignal } from '../protocol/calls.js';
import { ask, enableCalls, tokenFor } from '../test/support/calls.js';
import {
  connectVisitor,
  createWidget,
  PASSWORD,
  type Probe,
  setupAdmin,
  startVisitor,
  type TestAgent,
} from '../test/support/clients.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, FAKE_MEDIA, hasChromium, launchChromium } from './support/browser.js';
import { horizontalOverflow, resize, settled } from './support/layout.js';

/**
 * An agent's calls from the dashboard in Chromium with fake camera and microphone, keyboard only: the
 * "Video call" button rings the visitor, whose side (a peer connection in a page of its own, on the
 * visitor's socket) accepts; both sides decode the other's video; the agent shares the screen in
 * place of the camera; the visitor hangs up and the dashboard says so. A second call the visitor
 * declines shows "declined". A widget with calls off shows no call buttons at all.
 */
describe.skipIf(!hasChromium)('calls from the dashboard', { timeout: BROWSER_TEST_TIMEOUT_MS * 2 }, () => {
  let database: TestDatabase;
  let server: TestServer;
  let browser: Browser;
  let admin: TestAgent;
  let widget: Widget;
  let visitor: VisitorSession;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await startTestServer({ database, host: 'localhost' });
    browser = await launchChromium(FAKE_MEDIA);
    admin = await setupAdmin(server);
    widget = await createWidget(server, admin);
    visitor = await startVisitor(server, widget);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.drop();
  });

  const signIn = async (width: number) => {
    const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-email').fill('admin@example.com');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/inbox/);
    await page.goto(`${server.url}/inbox/${visitor.conversationId}`);
    return page;
  };

  it('shows no call buttons while the widget has calls off', async () => {
    const page = await signIn(1280);
    await expect.poll(() => page.locator('.conversation-title').textContent()).not.toBe('Loading…');
    await settled(page);
    expect(await page.getByRole('button', { name: 'Video call' }).count()).toBe(0);
    await page.context().close();
  });

  it('connects a video call, shares the screen, and shows both ends: hung up and declined', async () => {
    await enableCalls(server, admin, widget.id);
    const page = await signIn(1280);
    const side = await visitorSide(browser, server, visitor);

    await tabTo(page, 'Video call');
    await page.keyboard.press('Enter');
    await side.probe.until((p) => p.of('call.offered').length > 0, 'the call ringing for the visitor');
    const callId = side.probe.of('call.offered')[0]?.callId as string;
    await expect.poll(() => page.getByTestId('call-state').textContent()).toContain('ringing');
    await side.accept(callId);

    await expect
      .poll(() => page.getByTestId('call-state').textContent(), { timeout: 60_000 })
      .toContain('in progress');
    await expect.poll(() => inboundVideoFrames(page, 'agent'), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => inboundVideoFrames(side.page, 'visitor'), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('call-state').textContent()).toMatch(/\d+:\d\d/);

    for (const width of [1280, 1920]) {
      await resize(page, width);
      await settled(page);
      expect((await horizontalOverflow(page)).excess).toBe(0);
      await page.screenshot({ path: `/tmp/parley-call-dashboard-${width}.png` });
      const violations = await axeViolations(page);
      expect(violations, describeViolations(`in call at ${width}`, violations)).toEqual([]);
    }

    // Mute and camera off say so to assistive technology; the screen replaces the camera's track.
    await tabTo(page, 'Mute');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('button', { name: 'Unmute' }).getAttribute('aria-pressed'))
      .toBe('true');
    await tabTo(page, 'Share screen');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('button', { name: 'Stop sharing' }).count()).toBe(1);
    const sent = await page.evaluate(() => {
      const pc = (window as unknown as AgentWindow).parleyCall.peer;
      const track = pc?.getSenders().find((s) => s.track?.kind === 'video')?.track;
      return track?.getSettings().displaySurface ?? null;
    });
    expect(sent).not.toBeNull();
    await expect.poll(() => inboundVideoFrames(side.page, 'visitor'), { timeout: 30_000 }).toBeGreaterThan(0);

    // The visitor hangs up: the dashboard says so and the buttons come back.
    expect((await ask(side.probe, { type: 'call.end', callId })).type).toBe('call.ended');
    await expect.poll(() => page.getByTestId('call-outcome').textContent()).toBe('The call ended.');
    await page.screenshot({ path: '/tmp/parley-call-dashboard-ended.png' });

    // A second call the visitor declines.
    await tabTo(page, 'Voice call');
    await page.keyboard.press('Enter');
    await side.probe.until((p) => p.of('call.offered').length > 1, 'the second call ringing');
    const second = side.probe.of('call.offered')[1]?.callId as string;
    expect((await ask(side.probe, { type: 'call.decline', callId: second })).type).toBe('call.ended');
    await expect
      .poll(() => page.getByTestId('call-outcome').textContent())
      .toBe('The visitor declined the call.');
    const violations = await axeViolations(page);
    expect(violations, describeViolations('after a declined call', violations)).toEqual([]);

    // At 375 the panel fits the phone.
    await resize(page, 375);
    await settled(page);
    expect((await horizontalOverflow(page)).excess).toBe(0);
    await page.screenshot({ path: '/tmp/parley-call-dashboard-375.png' });
    side.probe.close();
  });
});

interface AgentWindow {
  parleyCall: { peer: RTCPeerConnection | null };
}
interface VisitorWindow {
  call: { pc: RTCPeerConnection; receive(signal: CallSignal): Promise<void> };
  sendSignal(signal: CallSignal): void;
}

/** Presses Tab until the named button has the focus (keyboard only, as a person would). */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    if (focused === name) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached "${name}"`);
}

async function inboundVideoFrames(page: Page, side: 'agent' | 'visitor'): Promise<number> {
  return page.evaluate(async (which) => {
    const pc =
      which === 'agent'
        ? (window as unknown as AgentWindow).parleyCall.peer
        : (window as unknown as VisitorWindow).call.pc;
    if (!pc) return 0;
    let frames = 0;
    (await pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0;
    });
    return frames;
  }, side);
}

/**
 * The visitor's side: its socket, and a page on a loopback origin with a peer connection that answers
 * the agent's offer with the fake camera and microphone.
 */
async function visitorSide(browser: Browser, server: TestServer, session: VisitorSession) {
  const probe: Probe = await connectVisitor(server, session.credential);
  probe.send({ type: 'subscribe', conversationId: session.conversationId, afterSeq: 0 });
  await probe.next('subscribed');
  const page = await (await browser.newContext()).newPage();
  await page.route(`${server.url}/call-test`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>call</title>' }),
  );
  await page.goto(`${server.url}/call-test`);
  let callId = '';
  await page.exposeFunction('sendSignal', (signal: CallSignal) =>
    probe.send({ type: 'call.signal', callId, signal }),
  );
  probe.socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type: string; callId?: string; signal?: CallSignal };
    if (frame.type !== 'call.signal' || frame.callId !== callId || !frame.signal) return;
    void page.evaluate((signal) => (window as unknown as VisitorWindow).call.receive(signal), frame.signal);
  });
  return {
    probe,
    page,
    async accept(id: string) {
      callId = id;
      const token = await tokenFor(probe, id);
      await page.evaluate(async (iceServers) => {
        const w = window as unknown as VisitorWindow;
        const pc = new RTCPeerConnection({ iceServers });
        const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
        for (const track of media.getTracks()) pc.addTrack(track, media);
        const early: RTCIceCandidateInit[] = [];
        pc.onicecandidate = (e) => {
          if (e.candidate)
            w.sendSignal({
              kind: 'candidate',
              candidate: e.candidate.candidate,
              sdpMid: e.candidate.sdpMid,
              sdpMLineIndex: e.candidate.sdpMLineIndex,
            });
        };
        w.call = {
          pc,
          async receive(signal) {
            if (signal.kind === 'candidate') {
              const init = {
                candidate: signal.candidate,
                sdpMid: signal.sdpMid,
                sdpMLineIndex: signal.sdpMLineIndex,
              };
              if (pc.remoteDescription) await pc.addIceCandidate(init);
              else early.push(init);
              return;
            }
            await pc.setRemoteDescription({ type: signal.kind, sdp: signal.sdp });
            for (const c of early.splice(0)) await pc.addIceCandidate(c);
            if (signal.kind === 'offer') {
              await pc.setLocalDescription(await pc.createAnswer());
              w.sendSignal({ kind: 'answer', sdp: pc.localDescription?.sdp ?? '' });
            }
          },
        };
      }, token.iceServers);
      const joined = await ask(probe, { type: 'call.join', callId: id, token: token.token });
      if (joined.type !== 'call.joined') throw new Error(JSON.stringify(joined));
    },
  };
}
