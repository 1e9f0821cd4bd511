import WebSocket from 'ws';
import type { Me, VisitorSession, Widget } from '../../protocol/api.js';
import type { Role } from '../../protocol/common.js';
import { newClientId } from '../../protocol/realtime-client.js';
import type { ServerFrame } from '../../protocol/ws.js';
import { WS_PROTOCOL, WS_TICKET_PREFIX } from '../../protocol/ws-close-codes.js';
import { createSession, SESSION_COOKIE } from '../../server/modules/auth/create-session.js';
import { createSetupLink } from '../../server/modules/auth/create-setup-link.js';
import { createUser } from '../../server/modules/users/create-user.js';
import type { TestServer } from './test-server.js';

export const PASSWORD = 'correct horse battery staple';

/** Any node a client can reach: an in-process test server or a spawned `parley start`. */
export type Reachable = Pick<TestServer, 'url' | 'origin' | 'wsUrl'>;

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** HTTP against a test server, as a browser on Parley's origin would send it unless told otherwise. */
export async function http<T = any>(
  server: Reachable,
  method: string,
  path: string,
  options: {
    body?: unknown;
    rawBody?: string;
    cookie?: string;
    origin?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.origin !== null) headers.origin = options.origin ?? server.origin;
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(server.url + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export function sessionCookie(res: HttpResult): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('__Host-parley_session='));
  if (!set) throw new Error(`no session cookie (status ${res.status})`);
  return set.split(';')[0] as string;
}

export interface TestAgent {
  cookie: string;
  me: Me;
  workspaceId: string;
}

/** Uses a real one-time setup link to create a workspace's first administrator. */
export async function setupAdmin(
  server: TestServer,
  workspaceId?: string,
  email = 'admin@example.com',
): Promise<TestAgent> {
  const link = await createSetupLink({
    db: server.db.db,
    config: server.config,
    ...(workspaceId ? { workspaceId } : {}),
  });
  if (!link) throw new Error('workspace already set up');
  const token = new URL(link.url).hash.replace('#token=', '');
  const res = await http<Me>(server, 'POST', '/api/v1/setup', {
    body: { token, email, name: 'Ada Admin', password: PASSWORD, workspaceName: 'Acme Support' },
  });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { cookie: sessionCookie(res), me: res.body, workspaceId: res.body.workspace.id };
}

export async function addAgent(
  server: TestServer,
  workspaceId: string,
  role: Role,
  email: string,
): Promise<TestAgent> {
  await createUser({
    db: server.db.db,
    config: server.config,
    workspaceId,
    email,
    name: `${role} ${email}`,
    password: PASSWORD,
    role,
  });
  return login(server, email);
}

export async function login(server: Reachable, email: string, password = PASSWORD): Promise<TestAgent> {
  const res = await http<Me>(server, 'POST', '/api/v1/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { cookie: sessionCookie(res), me: res.body, workspaceId: res.body.workspace.id };
}

/**
 * Another session for a signed-in agent, made by the server's own session command: what signing in
 * gives, without a password hash each time (loops over every route would spend most of their time
 * hashing).
 */
export async function newSession(server: TestServer, agent: TestAgent): Promise<TestAgent> {
  const session = await createSession({
    db: server.db.db,
    config: server.config,
    workspaceId: agent.workspaceId,
    userId: agent.me.user.id,
    ip: null,
    userAgent: null,
  });
  return { ...agent, cookie: `${SESSION_COOKIE}=${session.token}` };
}

export async function createWidget(
  server: Reachable,
  agent: TestAgent,
  allowedOrigins = ['https://shop.example.com'],
  greeting = 'Hi! How can we help?',
): Promise<Widget> {
  const res = await http<Widget>(server, 'POST', `/api/v1/workspaces/${agent.workspaceId}/widgets`, {
    cookie: agent.cookie,
    body: { name: 'Website', allowedOrigins, greeting },
  });
  if (res.status !== 201) throw new Error(`widget failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function startVisitor(
  server: Reachable,
  widget: Widget,
  credential?: string,
): Promise<VisitorSession> {
  const res = await http<VisitorSession>(server, 'POST', '/api/v1/visitor/sessions', {
    body: {
      widgetId: widget.id,
      hostOrigin: widget.allowedOrigins[0],
      ...(credential ? { credential } : {}),
    },
  });
  if (res.status !== 201)
    throw new Error(`visitor session failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function fetchTicket(server: Reachable, credential: string): Promise<string> {
  const res = await http<{ ticket: string }>(server, 'POST', '/api/v1/visitor/tickets', {
    body: {},
    headers: { authorization: `Bearer ${credential}` },
  });
  if (res.status !== 201) throw new Error(`ticket failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.ticket;
}

/** A raw protocol client that records every frame, for asserting exactly what the server sent. */
export class Probe {
  readonly frames: ServerFrame[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as ServerFrame);
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  sendMessage(conversationId: string, body: string, clientId = newClientId()): string {
    this.send({ type: 'message.send', conversationId, clientId, body });
    return clientId;
  }

  of<T extends ServerFrame['type']>(type: T): Extract<ServerFrame, { type: T }>[] {
    return this.frames.filter((f): f is Extract<ServerFrame, { type: T }> => f.type === type);
  }

  /**
   * Waits until `predicate` holds over the frames received so far. The bound only ends a wait that
   * would never end: generous, so a machine busy with other work does not fail a correct test.
   */
  async until(predicate: (p: Probe) => boolean, what = 'condition', timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out waiting for ${what}; got ${JSON.stringify(this.frames.slice(-5))} closed=${JSON.stringify(this.closed)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async next<T extends ServerFrame['type']>(type: T, count = 1): Promise<Extract<ServerFrame, { type: T }>> {
    await this.until((p) => p.of(type).length >= count, `${count}× ${type}`);
    return this.of(type)[count - 1] as Extract<ServerFrame, { type: T }>;
  }

  close(): void {
    this.socket.close();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

export function openSocket(
  server: Reachable,
  /** `origin: null` sends no Origin header at all, as no browser does. */
  options: { protocols: string[]; origin?: string | null; cookie?: string },
): Promise<Probe> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  const socket = new WebSocket(server.wsUrl, options.protocols, {
    ...(options.origin === null ? {} : { origin: options.origin ?? server.origin }),
    headers,
  });
  const probe = new Probe(socket);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(probe));
    socket.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c;
      });
      res.on('end', () =>
        reject(
          Object.assign(new Error(`upgrade refused: ${res.statusCode} ${text}`), {
            status: res.statusCode,
            body: text,
          }),
        ),
      );
    });
    socket.once('error', reject);
  });
}

export async function connectVisitor(server: Reachable, credential: string, origin?: string): Promise<Probe> {
  const ticket = await fetchTicket(server, credential);
  const probe = await openSocket(server, {
    protocols: [WS_PROTOCOL, WS_TICKET_PREFIX + ticket],
    ...(origin ? { origin } : {}),
  });
  await probe.next('welcome');
  return probe;
}

export async function connectAgent(server: Reachable, agent: TestAgent): Promise<Probe> {
  const probe = await openSocket(server, { protocols: [WS_PROTOCOL], cookie: agent.cookie });
  await probe.next('welcome');
  return probe;
}
