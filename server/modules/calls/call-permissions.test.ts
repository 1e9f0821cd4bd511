import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_LIMITS } from '../../../protocol/calls.js';
import { enableCalls, outcome, tokenFor } from '../../../test/support/calls.js';
import {
  connectAgent,
  connectVisitor,
  createWidget,
  http,
  setupAdmin,
  startVisitor,
} from '../../../test/support/clients.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';

const SECRET = 'b'.repeat(40);

/**
 * Calls are a per-widget choice: off, no offer rings and the frame may not use camera or microphone
 * (Permissions-Policy) nor ask the host page for them (the loader reads `calls` from the public
 * widget); on, both open for the frame's own origin only. TURN credentials come with call tokens.
 */
describe('calls per widget, and what the browser is allowed', () => {
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await startTestServer({
      database,
      env: {
        PARLEY_ICE_SERVERS: 'stun:127.0.0.1:3478,turn:127.0.0.1:3478?transport=udp',
        PARLEY_TURN_SECRET: SECRET,
        PARLEY_TURN_TTL_SECONDS: '120',
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it('off: no call, camera and microphone denied; on: both allowed to the frame, audited', async () => {
    const admin = await setupAdmin(server);
    const widget = await createWidget(server, admin);
    expect(widget.callsEnabled).toBe(false);
    const visitor = await startVisitor(server, widget);
    const origin = 'https://shop.example.com';
    const publicWidget = async () =>
      (await http(server, 'GET', `/api/v1/widgets/${widget.id}/public`, { origin })).body.calls;
    const frame = async () =>
      (await http(server, 'GET', `/w/${widget.id}`)).headers.get('permissions-policy');

    const agent = await connectAgent(server, admin);
    const offer = { type: 'call.offer', conversationId: visitor.conversationId, media: 'video' };
    expect(await outcome(agent, offer)).toBe('calls_disabled');
    expect(await publicWidget()).toBe(false);
    expect(await frame()).toBe('camera=(), microphone=(), geolocation=(), payment=(), usb=()');

    await enableCalls(server, admin, widget.id);
    expect(await publicWidget()).toBe(true);
    expect(await frame()).toBe('camera=(self), microphone=(self), geolocation=(), payment=(), usb=()');
    // Every other page keeps denying them.
    expect((await http(server, 'GET', '/api/v1/setup')).headers.get('permissions-policy')).toBe(
      'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    );
    const audited = await server.db.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'widget.updated')
      .execute();
    expect(audited.map((a) => JSON.parse(a.details).callsEnabled)).toContain(true);

    // On: the offer rings, and tokens come with STUN and short-lived TURN credentials.
    const v = await connectVisitor(server, visitor.credential, origin);
    v.send({ type: 'subscribe', conversationId: visitor.conversationId, afterSeq: 0 });
    await v.next('subscribed');
    expect(await outcome(agent, offer)).toBe('ok');
    const callId = (await v.next('call.offered')).callId;
    const before = Math.floor(Date.now() / 1000);
    const { iceServers, expiresAt } = await tokenFor(v, callId);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(CALL_LIMITS.tokenTtlSeconds * 1000);
    expect(iceServers[0]).toEqual({ urls: ['stun:127.0.0.1:3478'] });
    const turn = iceServers[1];
    expect(turn?.urls).toEqual(['turn:127.0.0.1:3478?transport=udp']);
    const [expiry, id] = (turn?.username ?? '').split(':');
    expect(id).toBe(visitor.visitor.id);
    expect(Number(expiry) - before).toBeGreaterThanOrEqual(120 - 5);
    expect(Number(expiry) - before).toBeLessThanOrEqual(120 + 5);
    expect(JSON.stringify(iceServers)).not.toContain(SECRET);

    // Turned off again: no new call can ring.
    expect(await outcome(agent, { type: 'call.end', callId })).toBe('ok');
    await enableCalls(server, admin, widget.id, false);
    expect(await outcome(agent, offer)).toBe('calls_disabled');
    v.close();
    agent.close();
  });
});
