import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallSignal, IceServer } from '../protocol/calls.js';
import { iceServersFor } from '../server/modules/calls/ice-servers.js';
import { clock } from '../server/platform/clock.js';
import { ask, enableCalls, tokenFor } from '../test/support/calls.js';
import { connectAgent, connectVisitor, type Probe } from '../test/support/clients.js';
import { hasCoturn, startTurnServer, type TestTurnServer } from '../test/support/coturn.js';
import type { Scenario } from '../test/support/scenario.js';
import { BROWSER_TEST_TIMEOUT_MS, FAKE_MEDIA, hasChromium, launchChromium } from './support/browser.js';

/**
 * A video call between two Chromium contexts through Debian's coturn, relay candidates only: the
 * browsers get their TURN credentials with their call tokens (never the secret), Parley relays the
 * offer, the answer and the candidates between the two seats, and each side decodes the other's
 * video and audio. Then the agent hangs up and the visitor's side hears it.
 */
describe.skipIf(!hasChromium || !hasCoturn)(
  'a call relayed through coturn',
  { timeout: BROWSER_TEST_TIMEOUT_MS },
  () => {
    let turn: TestTurnServer;
    let s: Scenario;
    let browser: Browser;

    beforeAll(async () => {
      turn = await startTurnServer();
      s = await startScenarioWith(turn);
      browser = await launchChromium(FAKE_MEDIA);
    });
    afterAll(async () => {
      await browser?.close();
      await s?.close();
      await turn?.stop();
    });

    it('connects with relay candidates only, media decoded on both sides, and ends cleanly', async () => {
      await enableCalls(s.server, s.admin, s.widget.id);
      const agent = await connectAgent(s.server, s.admin);
      const visitor = await connectVisitor(s.server, s.visitor.credential);
      visitor.send({ type: 'subscribe', conversationId: s.visitor.conversationId, afterSeq: 0 });
      await visitor.next('subscribed');
      const created = await ask(agent, {
        type: 'call.offer',
        conversationId: s.visitor.conversationId,
        media: 'video',
      });
      if (created.type !== 'call.created') throw new Error(JSON.stringify(created));
      const { callId } = created;
      await visitor.next('call.offered');
      const agentToken = await tokenFor(agent, callId);
      const visitorToken = await tokenFor(visitor, callId);
      for (const token of [agentToken, visitorToken]) {
        expect(token.iceServers).toHaveLength(1);
        expect(JSON.stringify(token.iceServers)).not.toContain(turn.secret);
      }
      expect((await ask(agent, { type: 'call.join', callId, token: agentToken.token })).type).toBe(
        'call.joined',
      );
      expect((await ask(visitor, { type: 'call.join', callId, token: visitorToken.token })).type).toBe(
        'call.joined',
      );

      const origin = s.server.url;
      const agentPage = await (await browser.newContext({ bypassCSP: true })).newPage();
      const visitorPage = await (await browser.newContext({ bypassCSP: true })).newPage();
      // A blank page of its own on a loopback origin (a secure context): Parley's pages deny camera and
      // microphone to everything but a calls-enabled widget frame, whose app would join on its own.
      for (const page of [agentPage, visitorPage]) {
        await page.route(`${origin}/call-test`, (route) =>
          route.fulfill({
            status: 200,
            contentType: 'text/html',
            body: '<!doctype html><title>call</title>',
          }),
        );
        await page.goto(`${origin}/call-test`);
      }
      await wire(agentPage, agent, callId, agentToken.iceServers);
      await wire(visitorPage, visitor, callId, visitorToken.iceServers);

      // The agent's side offers; everything else flows through Parley's relay.
      await agentPage.evaluate(() => (window as unknown as CallWindow).call.offer());
      for (const page of [agentPage, visitorPage])
        await page.waitForFunction(
          () => (window as unknown as CallWindow).call.pc.connectionState === 'connected',
          null,
          {
            timeout: 60_000,
          },
        );
      for (const page of [agentPage, visitorPage]) {
        await expect.poll(() => mediaArrived(page), { timeout: 60_000, interval: 250 }).toBe(true);
        // The pair in use, once the stats report it nominated (a moment after media flows). Polled
        // with `evaluate`, which awaits the async stats read; a handle from `waitForFunction` over an
        // async predicate came back null once under load.
        await expect
          .poll(async () => (await nominatedPairs(page)).length, { timeout: 30_000, interval: 250 })
          .toBeGreaterThan(0);
        const pair = await nominatedPairs(page);
        for (const t of pair) {
          const [local, remote, port] = t.split('/');
          expect(`${local}/${remote}`, turn.log().slice(-2000)).toBe('relay/relay');
          // Relayed by the test's own coturn: its relay port range.
          expect(Number(port)).toBeGreaterThanOrEqual(turn.relayPorts.min);
          expect(Number(port)).toBeLessThanOrEqual(turn.relayPorts.max);
        }
      }

      expect((await ask(agent, { type: 'call.end', callId })).type).toBe('call.ended');
      await visitor.until((p) => p.of('call.ended').some((f) => f.callId === callId), 'the visitor told');
      agent.close();
      visitor.close();
    });
  },
);

/**
 * What coturn does with a credential past its expiry, or one not made with its secret: no relay
 * candidate at all, so a leaked credential is good for its short lifetime only.
 */
describe.skipIf(!hasChromium || !hasCoturn)(
  'TURN credentials coturn refuses',
  { timeout: BROWSER_TEST_TIMEOUT_MS },
  () => {
    let turn: TestTurnServer;
    let browser: Browser;
    beforeAll(async () => {
      turn = await startTurnServer();
      browser = await launchChromium(FAKE_MEDIA);
    });
    afterAll(async () => {
      await browser?.close();
      await turn?.stop();
    });

    it('gives relay candidates for a fresh credential only', async () => {
      const config = { stunUrls: [], turnUrls: [turn.url], turnSecret: turn.secret, turnTtlSeconds: 300 };
      const fresh = iceServersFor(config, 'fresh');
      const realNow = clock.now;
      clock.now = () => realNow() - 3_600_000;
      const expired = iceServersFor(config, 'expired');
      clock.now = realNow;
      const forged = iceServersFor({ ...config, turnSecret: 'x'.repeat(64) }, 'forged');
      const page = await (await browser.newContext()).newPage();
      const relayCandidates = (servers: IceServer[]) =>
        page.evaluate(async (iceServers) => {
          const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: 'relay' });
          pc.addTransceiver('audio');
          const found: string[] = [];
          const done = new Promise<void>((resolve) => {
            pc.onicecandidate = (e) => {
              if (e.candidate) found.push(e.candidate.candidate);
              else resolve();
            };
          });
          await pc.setLocalDescription(await pc.createOffer());
          await done;
          pc.close();
          return found.filter((c) => c.includes(' typ relay')).length;
        }, servers);
      expect(await relayCandidates(fresh)).toBeGreaterThan(0);
      expect(await relayCandidates(expired)).toBe(0);
      expect(await relayCandidates(forged)).toBe(0);
    });
  },
);

interface CallWindow {
  call: {
    pc: RTCPeerConnection;
    offer(): Promise<void>;
    receive(signal: CallSignal): Promise<void>;
  };
  sendSignal(signal: CallSignal): void;
}

async function startScenarioWith(turn: TestTurnServer): Promise<Scenario> {
  const { createTestDatabase, startTestServer } = await import('../test/support/test-server.js');
  const { setupAdmin, createWidget, startVisitor } = await import('../test/support/clients.js');
  const database = await createTestDatabase('sqlite');
  const server = await startTestServer({
    database,
    env: { PARLEY_ICE_SERVERS: turn.url, PARLEY_TURN_SECRET: turn.secret, PARLEY_TURN_TTL_SECONDS: '300' },
  });
  const admin = await setupAdmin(server);
  const widget = await createWidget(server, admin);
  const visitor = await startVisitor(server, widget);
  return {
    database,
    server,
    admin,
    widget,
    visitor,
    async close() {
      await server.close();
      await database.drop();
    },
  };
}

/**
 * One side of the call in a page: a peer connection with relay candidates only and the fake camera
 * and microphone; what it produces goes out through this side's Parley socket, what the other side
 * sends comes in from it.
 */
async function wire(page: Page, probe: Probe, callId: string, iceServers: IceServer[]): Promise<void> {
  await page.exposeFunction('sendSignal', (signal: CallSignal) =>
    probe.send({ type: 'call.signal', callId, signal }),
  );
  probe.socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type: string; callId?: string; signal?: CallSignal };
    if (frame.type !== 'call.signal' || frame.callId !== callId || !frame.signal) return;
    void page.evaluate((signal) => (window as unknown as CallWindow).call.receive(signal), frame.signal);
  });
  await page.evaluate(async (servers) => {
    const w = window as unknown as CallWindow;
    const pc = new RTCPeerConnection({ iceServers: servers, iceTransportPolicy: 'relay' });
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
      async offer() {
        await pc.setLocalDescription(await pc.createOffer());
        w.sendSignal({ kind: 'offer', sdp: pc.localDescription?.sdp ?? '' });
      },
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
  }, iceServers);
}

/** The nominated, succeeded candidate pairs as `local type/remote type/local port`. */
function nominatedPairs(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const stats = await (window as unknown as CallWindow).call.pc.getStats();
    const types: string[] = [];
    stats.forEach((r) => {
      if (r.type === 'candidate-pair' && r.state === 'succeeded' && r.nominated) {
        const local = stats.get(r.localCandidateId);
        const remote = stats.get(r.remoteCandidateId);
        types.push(`${local?.candidateType}/${remote?.candidateType}/${local?.port}`);
      }
    });
    return types;
  });
}

/** Whether video frames were decoded and audio packets received on this side. */
function mediaArrived(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const stats = await (window as unknown as CallWindow).call.pc.getStats();
    let frames = 0;
    let packets = 0;
    stats.forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0;
      if (r.type === 'inbound-rtp' && r.kind === 'audio') packets += r.packetsReceived ?? 0;
    });
    return frames > 0 && packets > 0;
  });
}
