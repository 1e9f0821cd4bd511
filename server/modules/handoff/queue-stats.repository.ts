import type { Executor } from '../../platform/db/schema.js';

/** Queued queries across every workspace and the oldest one's creation time (for the metrics). */
export async function queuedSummary(db: Executor): Promise<{ waiting: number; oldest: string | null }> {
  const row = await db
    .selectFrom('queries')
    .select((eb) => [eb.fn.countAll<number>().as('waiting'), eb.fn.min('created_at').as('oldest')])
    .where('state', '=', 'queued')
    .executeTakeFirst();
  return { waiting: Number(row?.waiting ?? 0), oldest: (row?.oldest as string | null | undefined) ?? null };
}
