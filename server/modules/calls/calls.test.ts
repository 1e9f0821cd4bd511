import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CALL_LIMITS } from '../../../protocol/calls.js';
import {
  ask,
  CANDIDATE,
  connectCall,
  enableCalls,
  endedFrame,
  outcome,
  SDP_ANSWER,
  SDP_OFFER,
  tokenFor,
} from '../../../test/support/calls.js';
import {
  addAgent,
  connectAgent,
  connectVisitor,
  createWidget,
  http,
  newSession,
  type Probe,
  startVisitor,
} from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { clock } from '../../platform/clock.js';

describe.each(DIALECTS)('calls: signalling in token-gated rooms (%s)', (dialect) => {
  let s: Scenario;
  let agent: Probe;
  let visitor: Probe;
  const conversationId = () => s.visitor.conversationId;
  const ws = () => `/api/v1/workspaces/${s.admin.workspaceId}`;
  const transcript = async () =>
    (
      await s.server.db.db
        .selectFrom('messages')
        .select(['client_id', 'author_kind'])
        .where('conversation_id', '=', conversationId())
        .where('client_id', 'like', 'call_%')
        .orderBy('seq')
        .execute()
    ).map((m) => m.client_id.split('_')[2]);
  const audit = async () =>
    (
      await s.server.db.db
        .selectFrom('audit_events')
        .select(['action', 'actor_type'])
        .where('action', 'like', 'call.%')
        .orderBy('seq')
        .execute()
    ).map((e) => `${e.action} by ${e.actor_type}`);

  beforeEach(async () => {
    s = await startScenario(dialect);
    await enableCalls(s.server, s.admin, s.widget.id);
    agent = await connectAgent(s.server, s.admin);
    visitor = await connectVisitor(s.server, s.visitor.credential);
    visitor.send({ type: 'subscribe', conversationId: conversationId(), afterSeq: 0 });
    await visitor.next('subscribed');
  });
  afterEach(async () => {
    agent.close();
    visitor.close();
    await s.close();
  });

  it('rings, connects, relays offer, answer and candidates between the two seats, and ends for both', async () => {
    const callId = await connectCall(agent, visitor, conversationId(), 'video');
    expect(visitor.of('call.offered')[0]).toMatchObject({
      callId,
      media: 'video',
      agent: { name: 'Ada Admin' },
    });

    expect(
      await outcome(agent, { type: 'call.signal', callId, signal: { kind: 'offer', sdp: SDP_OFFER } }),
    ).toBe('ok');
    await visitor.next('call.signal');
    expect(visitor.of('call.signal')[0]).toEqual({
      type: 'call.signal',
      callId,
      from: 'agent',
      signal: { kind: 'offer', sdp: SDP_OFFER },
    });
    visitor.send({ type: 'call.signal', callId, signal: { kind: 'answer', sdp: SDP_ANSWER } });
    const candidate = { kind: 'candidate', candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0 };
    visitor.send({ type: 'call.signal', callId, signal: candidate });
    await agent.next('call.signal', 2);
    expect(agent.of('call.signal').map((f) => [f.from, f.signal.kind])).toEqual([
      ['visitor', 'answer'],
      ['visitor', 'candidate'],
    ]);
    // Nobody hears their own signals.
    expect(agent.of('call.signal').some((f) => f.from === 'agent')).toBe(false);

    const ended = await ask(visitor, { type: 'call.end', callId });
    expect(ended).toMatchObject({ type: 'call.ended', callId, reason: 'ended' });
    await agent.until((p) => endedFrame(p, callId) !== undefined, 'the agent told');
    expect(endedFrame(agent, callId)).toMatchObject({ reason: 'ended', conversationId: conversationId() });
    // Each side hears the end once (the ping answered after it proves nothing more is on its way).
    expect(await outcome(visitor, { type: 'ping' })).toBe('ok');
    expect(await outcome(agent, { type: 'ping' })).toBe('ok');
    expect(visitor.of('call.ended').filter((f) => f.callId === callId)).toHaveLength(1);
    expect(agent.of('call.ended').filter((f) => f.callId === callId)).toHaveLength(1);
    // An ended call carries nothing more, and its room cannot be entered again.
    expect(
      await outcome(agent, { type: 'call.signal', callId, signal: { kind: 'offer', sdp: SDP_OFFER } }),
    ).toBe('call_not_joined');
    expect(await outcome(visitor, { type: 'call.token', callId })).toBe('call_not_found');

    await expect.poll(transcript).toEqual(['offered', 'accepted', 'ended']);
    const report = await http(s.server, 'GET', `${ws()}/reports/service`, { cookie: s.admin.cookie });
    expect(report.body.calls).toMatchObject({ offered: 1, answered: 1, declined: 0, missed: 0 });
    const said = await s.server.db.db
      .selectFrom('messages')
      .select('author_kind')
      .where('client_id', 'like', 'call_%')
      .execute();
    expect(new Set(said.map((m) => m.author_kind))).toEqual(new Set(['bot']));
    await expect
      .poll(audit)
      .toEqual([
        'call.offered by user',
        'call.joined by user',
        'call.joined by visitor',
        'call.ended by visitor',
      ]);
    // The visitor reads the events in the transcript, in their language.
    await visitor.until(
      (p) => p.of('message.new').some((f) => f.message.body === 'Ada Admin started a video call.'),
      'the call in the transcript',
    );
  });

  it('admits one socket per side, with tokens that are single-use, short-lived and bound to their socket', async () => {
    const created = await ask(agent, {
      type: 'call.offer',
      conversationId: conversationId(),
      media: 'audio',
    });
    if (created.type !== 'call.created') throw new Error(JSON.stringify(created));
    const { callId } = created;
    const { token: agentToken, expiresAt } = await tokenFor(agent, callId);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(CALL_LIMITS.tokenTtlSeconds * 1000);
    expect(await outcome(agent, { type: 'call.join', callId, token: agentToken })).toBe('ok');
    // Spent: once.
    expect(await outcome(agent, { type: 'call.join', callId, token: agentToken })).toBe('call_token_invalid');

    // A token stolen from the visitor's socket joins nothing from another socket, even their own.
    const { token: visitorToken } = await tokenFor(visitor, callId);
    const secondDevice = await connectVisitor(s.server, s.visitor.credential);
    expect(await outcome(secondDevice, { type: 'call.join', callId, token: visitorToken })).toBe(
      'call_token_invalid',
    );
    // The agent cannot spend the visitor's token either.
    expect(await outcome(agent, { type: 'call.join', callId, token: visitorToken })).toBe(
      'call_token_invalid',
    );

    // Expired: a token good for seconds is no good after them.
    const realNow = clock.now;
    clock.now = () => realNow() + (CALL_LIMITS.tokenTtlSeconds + 1) * 1000;
    try {
      expect(await outcome(visitor, { type: 'call.join', callId, token: visitorToken })).toBe(
        'call_token_invalid',
      );
    } finally {
      clock.now = realNow;
    }

    // The second device's own token: the visitor's seat is taken by the first one to join.
    const { token: first } = await tokenFor(visitor, callId);
    const { token: second } = await tokenFor(secondDevice, callId);
    expect(await outcome(visitor, { type: 'call.join', callId, token: first })).toBe('ok');
    expect(await outcome(secondDevice, { type: 'call.join', callId, token: second })).toBe('call_taken');
    expect(
      await outcome(secondDevice, {
        type: 'call.signal',
        callId,
        signal: { kind: 'answer', sdp: SDP_ANSWER },
      }),
    ).toBe('call_not_joined');
    // Nor may the agent's other tab take the agent's seat.
    const otherTab = await connectAgent(s.server, await newSession(s.server, s.admin));
    const { token: tabToken } = await tokenFor(otherTab, callId);
    expect(await outcome(otherTab, { type: 'call.join', callId, token: tabToken })).toBe('call_taken');

    // A third party holding the room id: another visitor, another agent, another workspace's admin.
    const stranger = await startVisitor(
      s.server,
      await createWidget(s.server, s.admin, ['https://other.example.com']),
    );
    const strangerSocket = await connectVisitor(s.server, stranger.credential, 'https://other.example.com');
    expect(await outcome(strangerSocket, { type: 'call.token', callId })).toBe('call_not_found');
    expect(await outcome(strangerSocket, { type: 'call.join', callId, token: first })).toBe('call_not_found');
    expect(await outcome(strangerSocket, { type: 'call.end', callId })).toBe('call_not_found');
    expect(
      await outcome(strangerSocket, {
        type: 'call.signal',
        callId,
        signal: { kind: 'answer', sdp: SDP_ANSWER },
      }),
    ).toBe('call_not_joined');
    const colleague = await addAgent(s.server, s.admin.workspaceId, 'administrator', 'grace@example.com');
    const colleagueSocket = await connectAgent(s.server, colleague);
    expect(await outcome(colleagueSocket, { type: 'call.token', callId })).toBe('call_not_found');
    expect(await outcome(colleagueSocket, { type: 'call.end', callId })).toBe('call_not_found');
    // Nobody else may start a call in the conversation while this one goes on.
    expect(
      await outcome(colleagueSocket, {
        type: 'call.offer',
        conversationId: conversationId(),
        media: 'audio',
      }),
    ).toBe('call_in_progress');
    for (const p of [secondDevice, otherTab, strangerSocket, colleagueSocket]) p.close();
    // None of it disturbed the call.
    expect(endedFrame(agent, callId)).toBeUndefined();
    expect(endedFrame(visitor, callId)).toBeUndefined();
  });

  it('limits how many call tokens a principal gets', async () => {
    const created = await ask(agent, {
      type: 'call.offer',
      conversationId: conversationId(),
      media: 'audio',
    });
    if (created.type !== 'call.created') throw new Error(JSON.stringify(created));
    const results: string[] = [];
    for (let i = 0; i < CALL_LIMITS.tokenBurst + 1; i += 1)
      results.push(await outcome(visitor, { type: 'call.token', callId: created.callId }));
    expect(results.slice(0, CALL_LIMITS.tokenBurst)).toEqual(Array(CALL_LIMITS.tokenBurst).fill('ok'));
    expect(results.at(-1)).toBe('rate_limited');
    expect(await s.server.db.db.selectFrom('call_tokens').select('token_hash').execute()).toHaveLength(
      CALL_LIMITS.tokenBurst,
    );
  });

  it('refuses malformed, oversized and out-of-room signals with stable codes, and keeps serving', async () => {
    const callId = await connectCall(agent, visitor, conversationId());
    const bad = (signal: unknown) => outcome(agent, { type: 'call.signal', callId, signal });
    expect(await bad({ kind: 'offer', sdp: 'hello' })).toBe('signal_invalid');
    expect(await bad({ kind: 'offer', sdp: `v=0\r\n<script>alert(1)</script>\r\n` })).toBe('signal_invalid');
    expect(
      await bad({ kind: 'offer', sdp: `${SDP_OFFER}a=${'x'.repeat(CALL_LIMITS.maxSdpChars)}\r\n` }),
    ).toBe('signal_too_large');
    expect(
      await bad({ kind: 'candidate', candidate: 'not a candidate', sdpMid: '0', sdpMLineIndex: 0 }),
    ).toBe('signal_invalid');
    expect(await bad({ kind: 'candidate', candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 65 })).toBe(
      'invalid_frame',
    );
    expect(await bad({ kind: 'offer' })).toBe('invalid_frame');
    expect(await bad({ kind: 'offer', sdp: SDP_OFFER, extra: 1 })).toBe('invalid_frame');
    expect(
      await outcome(agent, {
        type: 'call.signal',
        callId: 'nope',
        signal: { kind: 'offer', sdp: SDP_OFFER },
      }),
    ).toBe('invalid_frame');
    // The visitor's side answers; it cannot make the agent's browser renegotiate.
    expect(
      await outcome(visitor, { type: 'call.signal', callId, signal: { kind: 'offer', sdp: SDP_OFFER } }),
    ).toBe('signal_invalid');
    // Not in this room: a call id that exists, from a socket that never joined it.
    const other = await connectVisitor(s.server, s.visitor.credential);
    expect(
      await outcome(other, { type: 'call.signal', callId, signal: { kind: 'answer', sdp: SDP_ANSWER } }),
    ).toBe('call_not_joined');
    other.close();
    // A frame over the socket's limit closes that socket only.
    const flood = await connectAgent(s.server, s.admin);
    flood.send({
      type: 'call.signal',
      callId,
      signal: { kind: 'offer', sdp: `v=0\r\n${'a=x\r\n'.repeat(4000)}` },
    });
    await flood.until((p) => p.closed !== null, 'the oversized frame refused');
    expect(flood.closed?.code).toBe(1009);
    expect(visitor.of('call.signal')).toHaveLength(0);
    expect(
      await outcome(agent, { type: 'call.signal', callId, signal: { kind: 'offer', sdp: SDP_OFFER } }),
    ).toBe('ok');
    await visitor.next('call.signal');
    expect(endedFrame(visitor, callId)).toBeUndefined();
  });

  it('records a declined call, and a call nobody answered as missed', async () => {
    const declined = await ask(agent, {
      type: 'call.offer',
      conversationId: conversationId(),
      media: 'audio',
    });
    if (declined.type !== 'call.created') throw new Error(JSON.stringify(declined));
    await visitor.until((p) => p.of('call.offered').length === 1, 'ringing');
    expect(await outcome(visitor, { type: 'call.decline', callId: declined.callId })).toBe('ok');
    await agent.until((p) => endedFrame(p, declined.callId) !== undefined, 'the agent told');
    expect(endedFrame(agent, declined.callId)?.reason).toBe('declined');

    const withdrawn = await ask(agent, {
      type: 'call.offer',
      conversationId: conversationId(),
      media: 'video',
    });
    if (withdrawn.type !== 'call.created') throw new Error(JSON.stringify(withdrawn));
    await visitor.until((p) => p.of('call.offered').length === 2, 'ringing again');
    expect(await outcome(agent, { type: 'call.end', callId: withdrawn.callId })).toBe('ok');
    await visitor.until((p) => endedFrame(p, withdrawn.callId) !== undefined, 'the ringing stopped');

    // Ringing out: the node that placed the offer ends it when its time is up.
    s.server.app.realtimeHub.ringMs = 50;
    const unanswered = await ask(agent, {
      type: 'call.offer',
      conversationId: conversationId(),
      media: 'audio',
    });
    if (unanswered.type !== 'call.created') throw new Error(JSON.stringify(unanswered));
    await visitor.until((p) => endedFrame(p, unanswered.callId) !== undefined, 'the ringing timed out');
    expect(endedFrame(visitor, unanswered.callId)?.reason).toBe('missed');
    await expect.poll(transcript).toEqual(['offered', 'declined', 'offered', 'missed', 'offered', 'missed']);
    await expect
      .poll(audit)
      .toEqual([
        'call.offered by user',
        'call.declined by visitor',
        'call.offered by user',
        'call.ended by user',
        'call.offered by user',
        'call.ended by system',
      ]);
    // The service report counts them.
    const report = await http(s.server, 'GET', `${ws()}/reports/service`, { cookie: s.admin.cookie });
    expect(report.status).toBe(200);
    expect(report.body.calls).toEqual({ offered: 3, answered: 0, declined: 1, missed: 2, talkSeconds: 0 });
    // And so does the report's CSV: offered, answered, declined, missed, talk seconds.
    const csv = await http(s.server, 'GET', `${ws()}/reports/service/series.csv`, { cookie: s.admin.cookie });
    expect(csv.status).toBe(200);
    const rows = String(csv.body).trim().split('\r\n');
    expect(rows[0]).toMatch(/,calls_offered,calls_answered,calls_declined,calls_missed,call_talk_seconds$/);
    expect(rows.find((r) => r.startsWith('period,'))).toMatch(/,3,0,1,2,0$/);
    expect(rows.find((r) => r.startsWith('previous_period,'))).toMatch(/,0,0,0,0,0$/);
  });

  it('ends at once when the agent signs out, when the visitor is erased, when the conversation is handed on', async () => {
    // Sign-out: the agent's sockets close; the visitor hears the call end.
    const session = await newSession(s.server, s.admin);
    const leaving = await connectAgent(s.server, session);
    const first = await connectCall(leaving, visitor, conversationId());
    expect(
      (await http(s.server, 'POST', '/api/v1/auth/logout', { cookie: session.cookie, body: {} })).status,
    ).toBe(204);
    await visitor.until((p) => endedFrame(p, first) !== undefined, 'the call ended by sign-out');
    expect(endedFrame(visitor, first)?.reason).toBe('left');
    expect(await outcome(visitor, { type: 'ping' })).toBe('ok');
    expect(visitor.of('call.ended').filter((f) => f.callId === first)).toHaveLength(1);

    // Handed to someone else: the calling agent's call ends.
    visitor.sendMessage(conversationId(), 'A person, please');
    const base = ws();
    await expect
      .poll(
        async () =>
          (await http(s.server, 'GET', `${base}/queries?view=queue`, { cookie: s.admin.cookie })).body.items
            .length,
      )
      .toBe(1);
    const queryId = (await http(s.server, 'GET', `${base}/queries?view=queue`, { cookie: s.admin.cookie }))
      .body.items[0].id;
    const ana = await addAgent(s.server, s.admin.workspaceId, 'operator', 'ana@example.com');
    const ben = await addAgent(s.server, s.admin.workspaceId, 'operator', 'ben@example.com');
    expect(
      (await http(s.server, 'POST', `${base}/queries/${queryId}/pick`, { cookie: ana.cookie, body: {} }))
        .status,
    ).toBe(200);
    const anaSocket = await connectAgent(s.server, ana);
    const second = await connectCall(anaSocket, visitor, conversationId(), 'audio');
    const moved = await http(s.server, 'POST', `${base}/queries/${queryId}/assign`, {
      cookie: s.admin.cookie,
      body: { userId: ben.me.user.id },
    });
    expect(moved.status).toBe(200);
    await anaSocket.until((p) => endedFrame(p, second) !== undefined, 'Ana’s call ended by the transfer');
    expect(endedFrame(anaSocket, second)?.reason).toBe('access_ended');
    await visitor.until((p) => endedFrame(p, second) !== undefined, 'the visitor told');
    anaSocket.close();

    // Erasure: the records go, the visitor's sockets close, the agent's room is told.
    const benSocket = await connectAgent(s.server, ben);
    const third = await connectCall(benSocket, visitor, conversationId(), 'audio');
    const erased = await http(s.server, 'DELETE', `${base}/visitors/${s.visitor.visitor.id}`, {
      cookie: s.admin.cookie,
      body: {},
    });
    expect(erased.status).toBe(200);
    await benSocket.until((p) => endedFrame(p, third) !== undefined, 'Ben’s call ended by the erasure');
    expect(endedFrame(benSocket, third)?.reason).toBe('erased');
    expect(await s.server.db.db.selectFrom('calls').select('id').execute()).toEqual([]);
    expect(await s.server.db.db.selectFrom('call_tokens').select('token_hash').execute()).toEqual([]);
    benSocket.close();
  });
});
