import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../../../protocol/errors.js';
import { CLIENT_FRAMES } from '../../../protocol/ws.js';
import { CLOSE } from '../../../protocol/ws-close-codes.js';
import {
  connectAgent,
  connectVisitor,
  createWidget,
  type Probe,
  startVisitor,
} from '../../../test/support/clients.js';
import { fuzzSeed, HOSTILE_JSON, mutateOne, Rng, valueFor } from '../../../test/support/fuzz.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';

const FRAMES_PER_SOCKET = 126;
/** Under the per-socket budget (burst 40, 20 a second) with the ping that closes each batch. */
const BATCH = 18;
const DOCUMENTED = new Set(Object.keys(ERROR_MESSAGES));
/** How a socket may end when a client breaks the protocol: bad UTF-8, policy, size, abuse. */
const DOCUMENTED_CLOSES = new Set([1007, CLOSE.policyViolation, CLOSE.tooLarge, CLOSE.rateLimited]);
const TYPES = Object.keys(CLIENT_FRAMES) as Array<keyof typeof CLIENT_FRAMES>;

/**
 * Frames over the visitor and the agent socket, made from the protocol's frame schemas and hostile
 * values, and raw garbage: only documented error codes (and never internal_error), only documented
 * closes, and another visitor's socket keeps getting its pongs throughout. Seeded like the HTTP fuzz.
 */
describe.each(DIALECTS)('socket frame fuzz (%s)', (dialect) => {
  let s: Scenario;
  let bystander: Probe;
  const seed = fuzzSeed() + (dialect === 'postgres' ? 11 : 10);

  beforeAll(async () => {
    s = await startScenario(dialect);
    const other = await startVisitor(
      s.server,
      await createWidget(s.server, s.admin, ['https://other.example.com']),
    );
    bystander = await connectVisitor(s.server, other.credential);
  });
  afterAll(async () => {
    bystander?.close();
    await s?.close();
  });

  it(`answers every generated frame with a documented outcome (seed ${seed})`, async () => {
    console.log(
      `socket fuzz (${dialect}): seed ${seed}; replay with PARLEY_FUZZ_SEED=${seed - (dialect === 'postgres' ? 11 : 10)}`,
    );
    const rng = new Rng(seed);
    const ids = [s.visitor.conversationId, s.admin.workspaceId, s.widget.id, s.visitor.visitor.id];
    const failures: string[] = [];
    const connect = {
      agent: () => connectAgent(s.server, s.admin),
      visitor: () => connectVisitor(s.server, s.visitor.credential),
    };
    let pings = 0;
    const checkBystander = async () => {
      pings += 1;
      const rid = `bystander-${pings}`;
      bystander.send({ type: 'ping', rid });
      await bystander.until((p) => p.of('pong').some((f) => f.rid === rid), `the bystander's pong ${rid}`);
    };

    await Promise.all(
      (['agent', 'visitor'] as const).map(async (who) => {
        let socket = await connect[who]();
        const seen: Probe[] = [socket];
        for (let sent = 0; sent < FRAMES_PER_SOCKET; ) {
          for (let i = 0; i < BATCH && sent < FRAMES_PER_SOCKET; i += 1, sent += 1) {
            if (socket.closed) break;
            sendOne(socket, rng, ids);
          }
          const rid = `${who}-${sent}`;
          if (!socket.closed) socket.send({ type: 'ping', rid });
          await socket.until(
            (p) => p.closed !== null || p.of('pong').some((f) => f.rid === rid),
            `pong ${rid}`,
            15_000,
          );
          if (socket.closed) {
            if (!DOCUMENTED_CLOSES.has(socket.closed.code))
              failures.push(`${who}: closed with ${socket.closed.code} ${socket.closed.reason}`);
            socket = await connect[who]();
            seen.push(socket);
          }
          await checkBystander();
          // Let the socket's frame budget refill: the point is what each frame does, not the limiter.
          await new Promise((r) => setTimeout(r, 1_000));
        }
        for (const probe of seen) {
          for (const error of probe.of('error')) {
            if (
              !DOCUMENTED.has(error.code) ||
              error.code === 'internal_error' ||
              error.code === 'service_unavailable'
            )
              failures.push(`${who}: ${JSON.stringify(error).slice(0, 300)}`);
          }
          probe.close();
        }
      }),
    );
    expect(failures).toEqual([]);
    await checkBystander();
    expect(bystander.closed).toBeNull();
  }, 180_000);
});

function sendOne(socket: Probe, rng: Rng, ids: readonly string[]): void {
  const roll = rng.next();
  if (roll < 0.1) socket.send(rng.pick(HOSTILE_JSON));
  else if (roll < 0.13) socket.socket.send(Buffer.from('{"type":"ping"}'), { binary: true });
  // Not UTF-8: the socket closes with 1007.
  else if (roll < 0.135)
    socket.socket.send(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), { binary: false });
  // Over the frame limit: the socket closes with 1009.
  else if (roll < 0.14) socket.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(17_000) }));
  else {
    const type =
      roll < 0.2 ? rng.pick(['', 'message.new', 'toString', '__proto__', 'PING']) : rng.pick(TYPES);
    const schema = Object.hasOwn(CLIENT_FRAMES, type)
      ? CLIENT_FRAMES[type as keyof typeof CLIENT_FRAMES]
      : null;
    const frame = schema
      ? rng.chance(0.6)
        ? mutateOne(valueFor(schema, rng, ids, 0), rng)
        : valueFor(schema, rng, ids)
      : { type };
    socket.send(typeof frame === 'object' && frame !== null ? frame : { type: frame });
  }
}
