import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitorSession } from '../../../protocol/api.js';
import { CLOSE } from '../../../protocol/ws-close-codes.js';
import { cleanEnv } from '../../../test/support/clean-env.js';
import {
  connectAgent,
  connectVisitor,
  createWidget,
  http,
  type Probe,
  setupAdmin,
  startVisitor,
  type TestAgent,
} from '../../../test/support/clients.js';
import { TEST_MASTER_KEY } from '../../../test/support/keys.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { verifyAuditLog } from '../audit/verify-audit-log.js';
import { createWorkspace } from '../workspaces/create-workspace.js';
import { endAllCredentials } from './end-all-credentials.js';

const MAIN = new URL('../../../dist/server/main.js', import.meta.url).pathname;

/** The incident command: every agent session and visitor credential of a workspace (or all) ends, audited. */
describe.each(DIALECTS)('ending every session and credential (%s)', (dialect) => {
  let s: Scenario;
  let other: { admin: TestAgent; visitor: VisitorSession };
  const sockets: Probe[] = [];

  beforeAll(async () => {
    s = await startScenario(dialect);
    const ws = await createWorkspace({ db: s.server.db.db, name: 'Elsewhere' });
    const admin = await setupAdmin(s.server, ws.id, 'admin@elsewhere.example');
    other = { admin, visitor: await startVisitor(s.server, await createWidget(s.server, admin)) };
  });
  afterAll(async () => {
    for (const p of sockets) p.close();
    await s?.close();
  });

  const me = (agent: TestAgent) => http(s.server, 'GET', '/api/v1/auth/me', { cookie: agent.cookie });
  const ticket = (v: VisitorSession) =>
    http(s.server, 'POST', '/api/v1/visitor/tickets', {
      body: {},
      headers: { authorization: `Bearer ${v.credential}` },
    });

  it('ends one workspace’s sessions, credentials and open sockets, and no other’s', async () => {
    const agentSocket = await connectAgent(s.server, s.admin);
    const visitorSocket = await connectVisitor(s.server, s.visitor.credential);
    const otherSocket = await connectAgent(s.server, other.admin);
    sockets.push(agentSocket, visitorSocket, otherSocket);

    const ended = await endAllCredentials({
      db: s.server.db.db,
      pubsub: s.server.pubsub,
      workspaceId: s.admin.workspaceId,
      via: 'cli',
    });
    expect(ended).toEqual([
      { workspaceId: s.admin.workspaceId, sessions: 1, visitorCredentials: 1, tickets: expect.any(Number) },
    ]);

    await agentSocket.until((p) => p.closed !== null, 'the agent socket to close');
    await visitorSocket.until((p) => p.closed !== null, 'the visitor socket to close');
    expect(agentSocket.closed?.code).toBe(CLOSE.sessionEnded);
    expect(visitorSocket.closed?.code).toBe(CLOSE.sessionEnded);
    expect((await me(s.admin)).status).toBe(401);
    expect((await ticket(s.visitor)).status).toBe(401);

    // The other workspace goes on.
    expect(otherSocket.closed).toBeNull();
    expect((await me(other.admin)).status).toBe(200);
    expect((await ticket(other.visitor)).status).toBe(201);

    // Recorded in the workspace's hash-chained audit log, with counts only; the chain still verifies.
    const entries = await s.server.db.db
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'details'])
      .where('workspace_id', '=', s.admin.workspaceId)
      .where('action', '=', 'security.credentials.ended')
      .execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]?.actor_type).toBe('system');
    expect(JSON.parse(entries[0]?.details as string)).toMatchObject({
      sessions: 1,
      visitorCredentials: 1,
      scope: 'workspace',
      via: 'cli',
    });
    expect((await verifyAuditLog(s.server.db.db)).ok).toBe(true);
  });

  it('ends every workspace’s with --all, and refuses a workspace that does not exist', async () => {
    expect(
      await endAllCredentials({
        db: s.server.db.db,
        pubsub: s.server.pubsub,
        workspaceId: 'nope',
        via: 'cli',
      }),
    ).toBeNull();
    const ended = await endAllCredentials({
      db: s.server.db.db,
      pubsub: s.server.pubsub,
      workspaceId: null,
      via: 'cli',
    });
    expect(ended?.map((e) => e.workspaceId).sort()).toEqual(
      [s.admin.workspaceId, other.admin.workspaceId].sort(),
    );
    expect((await me(other.admin)).status).toBe(401);
    expect((await ticket(other.visitor)).status).toBe(401);
  });

  it.runIf(dialect === 'sqlite')('is the `parley sessions end` command', async () => {
    const file = (s.database.database as { file: string }).file;
    const run = (args: string[]) =>
      spawnSync(process.execPath, [MAIN, 'sessions', 'end', ...args], {
        env: cleanEnv({
          PARLEY_DATA_DIR: dirname(file),
          PARLEY_MASTER_KEY: TEST_MASTER_KEY,
          PARLEY_LOG_LEVEL: 'warn',
        }),
        encoding: 'utf8',
        timeout: 60_000,
      });
    const missing = run(['--workspace', 'nope', '--yes']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('No workspace nope.');
    expect(run(['--yes']).status).toBe(1);
    const again = await http(s.server, 'POST', '/api/v1/auth/login', {
      body: { email: 'admin@elsewhere.example', password: 'correct horse battery staple' },
    });
    expect(again.status).toBe(200);
    const res = run(['--workspace', other.admin.workspaceId, '--yes']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain(`Workspace ${other.admin.workspaceId}: ended 1 agent session(s)`);
  });
});
