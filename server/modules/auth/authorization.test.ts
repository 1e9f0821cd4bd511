import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitorSession, Widget } from '../../../protocol/api.js';
import type { Role } from '../../../protocol/common.js';
import { can, SOCKET_ACTION_PERMISSIONS, VISITOR_SOCKET_ACTIONS } from '../../../protocol/permissions.js';
import { CLIENT_FRAMES, type ClientFrameType } from '../../../protocol/ws.js';
import { enableCalls } from '../../../test/support/calls.js';
import {
  addAgent,
  connectAgent,
  connectVisitor,
  createWidget,
  http,
  newSession,
  type Probe,
  setupAdmin,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { DIALECTS } from '../../../test/support/services.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import type { Access } from '../../platform/http/access.js';
import { createWorkspace } from '../workspaces/create-workspace.js';

type Who = 'anonymous' | 'visitor' | Role | 'outsider';
type Outcome = 'allowed' | 'unauthenticated' | 'forbidden' | 'hidden';
const EVERYONE: Who[] = ['anonymous', 'visitor', 'administrator', 'supervisor', 'operator', 'outsider'];

/** What the permission matrix says each caller gets from a route with this access policy. */
function expected(access: Access, who: Who): Outcome | 'own-auth' {
  switch (access.kind) {
    case 'public':
    case 'visitor':
      return 'own-auth';
    case 'socket':
      return 'own-auth';
    case 'agent':
    case 'signed-in':
      return who === 'anonymous' || who === 'visitor' ? 'unauthenticated' : 'allowed';
    case 'member':
      if (who === 'anonymous' || who === 'visitor') return 'unauthenticated';
      if (who === 'outsider') return 'hidden';
      return can(who, access.permission) ? 'allowed' : 'forbidden';
  }
}

function classify(status: number, code: string | undefined): Outcome {
  if (status === 401 && (code === 'unauthenticated' || code === 'session_expired')) return 'unauthenticated';
  if (status === 403 && code === 'forbidden') return 'forbidden';
  if (status === 404 && code === 'not_found') return 'hidden';
  return 'allowed';
}

describe.each(DIALECTS)('authorization matrix (%s)', (dialect) => {
  let database: TestDatabase;
  let server: TestServer;
  const agents = {} as Record<Role | 'outsider', TestAgent>;
  let widget: Widget;
  let visitor: VisitorSession;
  let outsiderVisitor: VisitorSession;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startTestServer({ database });
    agents.administrator = await setupAdmin(server);
    const ws = agents.administrator.workspaceId;
    agents.supervisor = await addAgent(server, ws, 'supervisor', 'sup@example.com');
    agents.operator = await addAgent(server, ws, 'operator', 'op@example.com');
    const other = await createWorkspace({ db: server.db.db, name: 'Elsewhere' });
    agents.outsider = await setupAdmin(server, other.id, 'admin@elsewhere.example');
    widget = await createWidget(server, agents.administrator);
    // Calls on, so the socket matrix reaches past the widget's setting to the role's permission.
    await enableCalls(server, agents.administrator, widget.id);
    visitor = await startVisitor(server, widget);
    outsiderVisitor = await startVisitor(
      server,
      await createWidget(server, agents.outsider, ['https://elsewhere.example']),
    );
  });
  afterAll(async () => {
    await server.close();
    await database.drop();
  });

  // Signing out (here or everywhere) ends the caller's session: those run last, and the caller then
  // gets a new session.
  const endsSession = (url: string) => url.endsWith('/logout') || url.endsWith('/sessions/end-all');
  const matrixRoutes = () =>
    [...server.app.routeCatalog]
      .filter((r) => r.method !== 'HEAD' && r.access.kind !== 'socket')
      .sort((a, b) => Number(endsSession(a.url)) - Number(endsSession(b.url)));

  it('every route declares an access policy', () => {
    const routes = [...server.app.routeCatalog].filter((r) => r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(15);
    for (const r of routes) expect(r.access, `${r.method} ${r.url}`).toBeDefined();
  });

  // The whole matrix (every route × every caller) is several hundred requests: it runs in parts,
  // in the same order as one pass, so each part stays well inside its time on a busy machine.
  const PARTS = 4;
  it.each(Array.from({ length: PARTS }, (_, i) => i + 1))(
    'every caller gets exactly what the matrix says (routes, part %i of 4)',
    async (part) => {
      const routes = matrixRoutes();
      const size = Math.ceil(routes.length / PARTS);
      const fill = (url: string) =>
        url
          .replace(':workspaceId', agents.administrator.workspaceId)
          .replace(':widgetId', widget.id)
          .replace(':conversationId', visitor.conversationId)
          .replace('*', 'app.js');
      const failures: string[] = [];
      for (const route of routes.slice((part - 1) * size, part * size)) {
        for (const who of EVERYONE) {
          const want = expected(route.access, who);
          const headers: Record<string, string> = {};
          if (who === 'visitor') headers.authorization = `Bearer ${visitor.credential}`;
          const cookie = who === 'anonymous' || who === 'visitor' ? undefined : agents[who].cookie;
          const write = route.method !== 'GET';
          const res = await http(server, route.method, fill(route.url), {
            ...(cookie ? { cookie } : {}),
            headers: { ...headers, ...(route.method === 'GET' ? { accept: 'application/json' } : {}) },
            ...(write ? { body: {} } : {}),
          });
          const got = classify(res.status, res.body?.error?.code);
          const ok = want === 'own-auth' ? got !== 'unauthenticated' && got !== 'forbidden' : got === want;
          if (!ok)
            failures.push(
              `${route.method} ${route.url} as ${who}: wanted ${want}, got ${got} (${res.status})`,
            );
          expect(res.status, `${route.method} ${route.url} as ${who}`).toBeLessThan(500);
          if (endsSession(route.url) && cookie && who !== 'anonymous' && who !== 'visitor')
            agents[who] = await newSession(server, agents[who]);
        }
      }
      expect(failures).toEqual([]);
    },
  );

  it('every socket action has a policy, and every caller gets exactly what it says', async () => {
    // The route matrix signed everyone out; each gets a new session.
    for (const [role, agent] of Object.entries(agents)) {
      agents[role as Role | 'outsider'] = await newSession(server, agent);
    }
    expect(Object.keys(SOCKET_ACTION_PERMISSIONS).sort()).toEqual(Object.keys(CLIENT_FRAMES).sort());
    const target = visitor.conversationId;
    const frameFor = (
      type: ClientFrameType,
      conversationId: string,
      rid: string,
    ): Record<string, unknown> => {
      switch (type) {
        case 'subscribe':
          return { type, rid, conversationId, afterSeq: 0 };
        case 'unsubscribe':
          return { type, rid, conversationId };
        case 'message.send':
          return { type, rid, conversationId, clientId: `matrix-${rid}-0000000000`, body: `matrix ${rid}` };
        case 'typing':
          return { type, rid, conversationId, state: 'start' };
        case 'receipt':
          return { type, rid, conversationId, state: 'read', seq: 1 };
        case 'inbox.subscribe':
        case 'ping':
          return { type, rid };
        case 'call.offer':
          return { type, rid, conversationId, media: 'audio' };
        case 'call.token':
        case 'call.decline':
        case 'call.end':
          return { type, rid, callId: NO_CALL };
        case 'call.join':
          return { type, rid, callId: NO_CALL, token: 'A'.repeat(43) };
        case 'call.signal':
          return {
            type,
            rid,
            callId: NO_CALL,
            signal: { kind: 'candidate', candidate: '', sdpMid: null, sdpMLineIndex: null },
          };
      }
    };
    /**
     * Call frames name a call: one that does not exist is not found (a signal: not joined). An offer
     * the caller may make rings; each check below ends it (the socket closes) before the next.
     */
    const NO_CALL = '00000000-0000-4000-8000-000000000000';
    const callOutcome = (t: ClientFrameType, otherwise: string) =>
      t === 'call.signal'
        ? 'call_not_joined'
        : t.startsWith('call.') && t !== 'call.offer'
          ? 'call_not_found'
          : otherwise;
    const noLiveCall = async (conversationId: string) => {
      for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
        const live = await server.db.db
          .selectFrom('calls')
          .select('id')
          .where('conversation_id', '=', conversationId)
          .where('state', '<>', 'ended')
          .executeTakeFirst();
        if (!live) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    /** Sends the frame, then a ping: frames are handled in order, so an error for it arrives before the pong. */
    const attempt = async (probe: Probe, type: ClientFrameType, conversationId: string, rid: string) => {
      probe.send(frameFor(type, conversationId, rid));
      probe.send({ type: 'ping', rid: `${rid}-after` });
      await probe.until(
        (p) => p.frames.some((f) => f.type === 'pong' && f.rid === `${rid}-after`),
        `pong ${rid}`,
      );
      const error = probe.of('error').find((e) => e.rid === rid);
      return error ? error.code : 'ok';
    };
    const failures: string[] = [];
    let n = 0;
    const check = async (
      label: string,
      probe: Probe,
      conversationId: string,
      want: (t: ClientFrameType) => string,
    ) => {
      for (const type of Object.keys(CLIENT_FRAMES) as ClientFrameType[]) {
        n += 1;
        const got = await attempt(probe, type, conversationId, `r${n}`);
        if (got !== want(type)) failures.push(`${type} as ${label}: wanted ${want(type)}, got ${got}`);
      }
    };
    const own = await connectVisitor(server, visitor.credential);
    await check('visitor, own conversation', own, target, (t) =>
      VISITOR_SOCKET_ACTIONS.has(t) ? callOutcome(t, 'ok') : 'forbidden',
    );
    // Each check on a socket of its own: together they would pass one socket's frame budget.
    const own2 = await connectVisitor(server, visitor.credential);
    await check('visitor, other conversation', own2, outsiderVisitor.conversationId, (t) =>
      !VISITOR_SOCKET_ACTIONS.has(t)
        ? 'forbidden'
        : ['subscribe', 'message.send', 'typing', 'receipt'].includes(t)
          ? 'conversation_not_found'
          : callOutcome(t, 'ok'),
    );
    own.close();
    own2.close();
    // The visitor's message above queued the target for people (no bot here), so operators reach it.
    // A conversation nobody handed to people is outside an operator's scope: it does not exist for them.
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      const row = await server.db.db
        .selectFrom('conversations')
        .select('query_id')
        .where('id', '=', target)
        .executeTakeFirst();
      if (row?.query_id) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const unqueued = (await startVisitor(server, widget)).conversationId;
    const confined = ['subscribe', 'message.send', 'typing', 'receipt', 'call.offer'];
    for (const role of ['administrator', 'supervisor', 'operator'] as const) {
      const probe = await connectAgent(server, agents[role]);
      await check(role, probe, target, (t) => {
        const p = SOCKET_ACTION_PERMISSIONS[t];
        if (p && !can(role, p)) return 'forbidden';
        return t === 'call.decline' ? 'forbidden' : callOutcome(t, 'ok');
      });
      const probe2 = await connectAgent(server, agents[role]);
      await check(`${role}, conversation not handed off`, probe2, unqueued, (t) => {
        const p = SOCKET_ACTION_PERMISSIONS[t];
        if (p && !can(role, p)) return 'forbidden';
        if (t === 'call.decline') return 'forbidden';
        return !can(role, 'queries.manage') && confined.includes(t)
          ? 'conversation_not_found'
          : callOutcome(t, 'ok');
      });
      probe.close();
      probe2.close();
      await noLiveCall(target);
      await noLiveCall(unqueued);
    }
    const outsider = await connectAgent(server, agents.outsider);
    await check('agent of another workspace', outsider, target, (t) =>
      confined.includes(t)
        ? 'conversation_not_found'
        : t === 'call.decline'
          ? 'forbidden'
          : callOutcome(t, 'ok'),
    );
    outsider.close();
    expect(failures).toEqual([]);
  });
});
