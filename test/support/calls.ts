import { randomUUID } from 'node:crypto';
import type { ServerFrame } from '../../protocol/ws.js';
import { http, type Probe, type Reachable, type TestAgent } from './clients.js';

/** Calls are off until an administrator turns them on for the widget. */
export async function enableCalls(
  server: Reachable,
  admin: TestAgent,
  widgetId: string,
  on = true,
): Promise<void> {
  const res = await http(server, 'PATCH', `/api/v1/workspaces/${admin.workspaceId}/widgets/${widgetId}`, {
    cookie: admin.cookie,
    body: { callsEnabled: on },
  });
  if (res.status !== 200) throw new Error(`calls not turned on: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A session description of the shape browsers send (short, but every line well-formed). */
export const SDP_OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=sendrecv',
  '',
].join('\r\n');
export const SDP_ANSWER = SDP_OFFER.replace('a=sendrecv', 'a=recvonly');
export const CANDIDATE =
  'candidate:842163049 1 udp 1677729535 192.0.2.10 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0';

/**
 * Sends a frame with a fresh rid and waits for whatever answers it: its reply, or an error; a frame
 * that has no reply (a relayed signal) is answered by the pong of the ping sent after it, as frames
 * are handled in order.
 */
export async function ask(probe: Probe, frame: Record<string, unknown>): Promise<ServerFrame> {
  const rid = randomUUID().slice(0, 12);
  probe.send({ ...frame, rid });
  probe.send({ type: 'ping', rid: `${rid}-after` });
  const answer = () =>
    probe.frames.find((f) => 'rid' in f && f.rid === rid) ??
    probe.frames.find((f) => f.type === 'pong' && f.rid === `${rid}-after`);
  await probe.until((p) => answer() !== undefined || p.closed !== null, `answer to ${String(frame.type)}`);
  const found = answer();
  if (!found) throw new Error(`socket closed before answering ${String(frame.type)}`);
  return found;
}

/** `code` of an error answer, or 'ok'. */
export async function outcome(probe: Probe, frame: Record<string, unknown>): Promise<string> {
  const answer = await ask(probe, frame);
  return answer.type === 'error' ? answer.code : 'ok';
}

/** Asks for a call token on this socket and returns it. */
export async function tokenFor(
  probe: Probe,
  callId: string,
): Promise<Extract<ServerFrame, { type: 'call.token' }>> {
  const answer = await ask(probe, { type: 'call.token', callId });
  if (answer.type !== 'call.token') throw new Error(`no token: ${JSON.stringify(answer)}`);
  return answer;
}

/**
 * An agent offers a call, joins its room, and the visitor accepts from their socket: both sockets
 * are then seated. The visitor must be subscribed to the conversation (to hear it ring).
 */
export async function connectCall(
  agent: Probe,
  visitor: Probe,
  conversationId: string,
  media: 'audio' | 'video' = 'video',
): Promise<string> {
  const created = await ask(agent, { type: 'call.offer', conversationId, media });
  if (created.type !== 'call.created') throw new Error(`no call: ${JSON.stringify(created)}`);
  const { callId } = created;
  await visitor.until((p) => p.of('call.offered').some((f) => f.callId === callId), 'the call ringing');
  const agentJoin = await ask(agent, {
    type: 'call.join',
    callId,
    token: (await tokenFor(agent, callId)).token,
  });
  if (agentJoin.type !== 'call.joined') throw new Error(`agent not joined: ${JSON.stringify(agentJoin)}`);
  const visitorJoin = await ask(visitor, {
    type: 'call.join',
    callId,
    token: (await tokenFor(visitor, callId)).token,
  });
  if (visitorJoin.type !== 'call.joined')
    throw new Error(`visitor not joined: ${JSON.stringify(visitorJoin)}`);
  await agent.until((p) => p.of('call.accepted').some((f) => f.callId === callId), 'the call accepted');
  return callId;
}

export function endedFrame(probe: Probe, callId: string) {
  return probe.of('call.ended').find((f) => f.callId === callId);
}
