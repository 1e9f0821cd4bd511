import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectVisitor } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { assignQuery } from './assign-query.js';

/**
 * An assignment and its `query_events` row are one transaction on both dialects: when the event
 * cannot be stored (here a trigger refuses it), the query is not assigned either.
 */
describe.each(DIALECTS)('assigning a query is atomic (%s)', (dialect) => {
  let s: Scenario;
  let queryId: string;

  beforeAll(async () => {
    s = await startScenario(dialect);
    const v = await connectVisitor(s.server, s.visitor.credential);
    v.sendMessage(s.visitor.conversationId, 'I need help');
    await v.next('message.ack');
    v.close();
    for (let i = 0; i < 100 && !queryId; i++) {
      const row = await s.server.db.db
        .selectFrom('conversations')
        .select('query_id')
        .where('id', '=', s.visitor.conversationId)
        .executeTakeFirst();
      if (row?.query_id) queryId = row.query_id;
      else await new Promise((r) => setTimeout(r, 20));
    }
  });
  afterAll(async () => s?.close());

  const refuseAssignedEvents = async (on: boolean) => {
    const db = s.server.db.db;
    if (dialect === 'sqlite') {
      if (on)
        await sql`create trigger refuse_assigned before insert on query_events when new.kind = 'assigned'
          begin select raise(abort, 'refused by test'); end`.execute(db);
      else await sql`drop trigger refuse_assigned`.execute(db);
      return;
    }
    if (on) {
      await sql`create function refuse_assigned() returns trigger language plpgsql as $$
        begin if new.kind = 'assigned' then raise exception 'refused by test'; end if; return new; end $$`.execute(
        db,
      );
      await sql`create trigger refuse_assigned before insert on query_events
        for each row execute function refuse_assigned()`.execute(db);
    } else {
      await sql`drop trigger refuse_assigned on query_events`.execute(db);
      await sql`drop function refuse_assigned()`.execute(db);
    }
  };
  const state = async () => {
    const db = s.server.db.db;
    const q = await db
      .selectFrom('queries')
      .select(['state', 'assignee_id'])
      .where('id', '=', queryId)
      .executeTakeFirstOrThrow();
    const events = await db
      .selectFrom('query_events')
      .select('kind')
      .where('query_id', '=', queryId)
      .execute();
    return { ...q, events: events.map((e) => e.kind) };
  };
  const pick = () =>
    assignQuery({
      db: s.server.db.db,
      workspaceId: s.admin.workspaceId,
      queryId,
      userId: s.admin.me.user.id,
      role: 'administrator',
      actorId: s.admin.me.user.id,
      mode: 'pick',
      enforceCapacity: false,
    });

  it('leaves the query queued when its event cannot be stored, and assigns it once it can', async () => {
    expect(queryId).toBeDefined();
    expect(await state()).toMatchObject({ state: 'queued', assignee_id: null });
    await refuseAssignedEvents(true);
    await expect(pick()).rejects.toThrow(/refused by test/);
    const after = await state();
    expect(after).toMatchObject({ state: 'queued', assignee_id: null });
    expect(after.events).not.toContain('assigned');

    await refuseAssignedEvents(false);
    expect(await pick()).toBe('assigned');
    const done = await state();
    expect(done).toMatchObject({ state: 'assigned', assignee_id: s.admin.me.user.id });
    expect(done.events.filter((k) => k === 'assigned')).toHaveLength(1);
  });
});
