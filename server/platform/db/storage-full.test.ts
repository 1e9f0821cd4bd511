import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientId } from '../../../protocol/realtime-client.js';
import { http } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';

/**
 * SQLite on a full disk (simulated with `max_page_count`, which makes SQLite answer SQLITE_FULL as a
 * full file system does): a write is refused with a clear 503, nothing is acked that is not on disk,
 * and the same message goes through once there is room again.
 */
describe('SQLite storage full', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await startScenario('sqlite');
  });
  afterAll(async () => s?.close());

  it('refuses the write with 503 and stores nothing, then takes the resend once there is room', async () => {
    const db = s.server.db.db;
    const path = `/api/v1/workspaces/${s.admin.workspaceId}/conversations/${s.visitor.conversationId}/messages`;
    const body = `A long answer that needs room on disk. ${'x'.repeat(3000)}`;
    const send = (clientId: string) =>
      http(s.server, 'POST', path, { cookie: s.admin.cookie, body: { clientId, body } });

    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    await sql`pragma max_page_count = ${sql.lit(Number(rows[0]?.page_count))}`.execute(db);
    const acked: string[] = [];
    let refusedId: string | undefined;
    let refused: Awaited<ReturnType<typeof send>> | undefined;
    // The first writes may still fit in free pages of the file; the "disk" fills up soon after.
    for (let i = 0; i < 100 && !refusedId; i += 1) {
      const clientId = newClientId();
      const res = await send(clientId);
      if (res.status === 201) acked.push(clientId);
      else {
        refusedId = clientId;
        refused = res;
      }
    }
    expect(refused?.status).toBe(503);
    expect(refused?.body.error.code).toBe('service_unavailable');
    expect(refused?.body.error.message).toMatch(/storage is full/i);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);

    await sql`pragma max_page_count = ${sql.lit(1073741823)}`.execute(db);
    const list = await http(s.server, 'GET', `${path}?limit=200`, { cookie: s.admin.cookie });
    const stored = list.body.items.map((m: { clientId: string }) => m.clientId);
    for (const id of acked) expect(stored).toContain(id);
    expect(stored).not.toContain(refusedId);
    const resent = await send(refusedId as string);
    expect(resent.status).toBe(201);
    expect(resent.body.duplicate).toBe(false);
  });
});
