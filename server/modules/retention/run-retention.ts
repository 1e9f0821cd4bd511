import { randomUUID } from 'node:crypto';
import type { RetentionCounts } from '../../../protocol/data-protection.js';
import type { Db } from '../../platform/db/schema.js';
import { isWriteConflict } from '../../platform/db/write-conflict.js';
import { emit } from '../../platform/metrics/signals.js';
import { deleteOldAttachmentsBatch } from '../attachments/delete-old-attachments.js';
import { expireCheckpointDataBatch } from '../bot/expire-checkpoint-data.js';
import { purgeClosedCheckpointDataBatch } from '../bot/purge-checkpoint-data.js';
import { expireChannelContactsBatch } from '../channels/expire-channel-contacts.js';
import { deleteOldNotesBatch } from '../conversations/delete-old-notes.js';
import type { Vault } from '../encryption/vault.js';
import { deleteOldQueryContentBatch } from '../handoff/delete-old-query-content.js';
import { purgeClosedQueryContentBatch } from '../handoff/purge-query-content.js';
import { expireVerifiedIdentitiesBatch } from '../visitors/expire-verified-identities.js';
import { handleInactiveBatch } from './archive-inactive.js';
import { deleteOldMessagesBatch, pruneArchivedHistoryBatch } from './delete-old-history.js';
import { expireArchivedProfilesBatch, expireProfilesBatch } from './expire-visitor-data.js';
import { purgeClosedBatch } from './purge-closed-content.js';
import {
  deleteRetentionRunsBefore,
  insertRetentionRun,
  listWidgetsForRetention,
} from './retention.repository.js';
import { retentionOf } from './retention-policy.js';

const DAY = 86_400_000;
/** A run stops a rule after this many full batches; the next run carries on. */
const MAX_BATCHES_PER_RULE = 20;
const RUN_HISTORY_DAYS = 90;

export const ZERO_COUNTS: RetentionCounts = {
  visitorDataDeleted: 0,
  messagesDeleted: 0,
  notesDeleted: 0,
  fieldsCleared: 0,
  conversationsArchived: 0,
  conversationsDeleted: 0,
  archivesPruned: 0,
  closedConversationsPurged: 0,
};

export interface RetentionRunResult {
  totals: RetentionCounts;
  byWorkspace: Map<string, { counts: RetentionCounts; error: string | null }>;
  /** False when the run stopped early because `keepGoing` said so (the lease was lost). */
  completed: boolean;
}

/**
 * Applies every widget's retention rules at `now`, in bounded batches. Idempotent: what a rule removed
 * no longer matches it, so running twice, or after an interrupted run, does no harm. `keepGoing` is
 * asked before each batch (the scheduler renews its lease there).
 */
export async function runRetention(options: {
  db: Db;
  vault: Vault;
  now: Date;
  batchSize: number;
  node: string;
  keepGoing?: () => Promise<boolean>;
}): Promise<RetentionRunResult> {
  const { db, vault, now, batchSize: limit } = options;
  const keepGoing = options.keepGoing ?? (async () => true);
  const startedAt = now.toISOString();
  const t0 = Date.now();
  const result: RetentionRunResult = { totals: { ...ZERO_COUNTS }, byWorkspace: new Map(), completed: true };
  const add = (workspaceId: string, field: keyof RetentionCounts, n: number) => {
    const entry = result.byWorkspace.get(workspaceId) ?? { counts: { ...ZERO_COUNTS }, error: null };
    entry.counts[field] += n;
    result.totals[field] += n;
    result.byWorkspace.set(workspaceId, entry);
  };
  /** Runs batches of one rule until one comes back short, the cap is hit, or the lease is lost. */
  const drain = async (batch: () => Promise<number>, count: (n: number) => void) => {
    for (let i = 0; i < MAX_BATCHES_PER_RULE; i += 1) {
      if (!(await keepGoing())) {
        result.completed = false;
        return;
      }
      const n = await againAfterConflict(batch);
      count(n);
      if (n < limit) return;
    }
  };

  for (const widget of await listWidgetsForRetention(db)) {
    if (!result.completed) break;
    const rules = retentionOf(widget);
    const ws = widget.workspace_id;
    const widgetId = widget.widget_id;
    try {
      await drain(
        () => expireProfilesBatch(db, { widgetId, ttlSeconds: rules.visitorDataTtlSeconds, now, limit }),
        (n) => add(ws, 'visitorDataDeleted', n),
      );
      await drain(
        () =>
          expireArchivedProfilesBatch(db, vault, {
            widgetId,
            ttlSeconds: rules.visitorDataTtlSeconds,
            now,
            limit,
          }),
        (n) => add(ws, 'archivesPruned', n),
      );
      const ttlSeconds = rules.visitorDataTtlSeconds;
      if (ttlSeconds !== null) {
        await drain(
          async () => {
            const r = await expireVerifiedIdentitiesBatch(db, { widgetId, ttlSeconds, now, limit });
            add(ws, 'visitorDataDeleted', r.forgotten);
            return r.seen;
          },
          () => {},
        );
        // The platform account a channel's visitor wrote from is identity too: it goes once they
        // have not written for the TTL (their next message starts a new visitor).
        await drain(
          () => expireChannelContactsBatch(db, { widgetId, ttlSeconds, now, limit }),
          (n) => add(ws, 'visitorDataDeleted', n),
        );
      }
      // Checkpoint copies follow the visitor data they copied, whatever removed it; so on every run.
      await drain(
        () => expireCheckpointDataBatch(db, { widgetId, ttlSeconds, now, limit }),
        (n) => add(ws, 'fieldsCleared', n),
      );
      if (rules.historyHours !== null) {
        const before = new Date(now.getTime() - rules.historyHours * 3_600_000).toISOString();
        await drain(
          () => deleteOldMessagesBatch(db, { widgetId, before, limit }),
          (n) => add(ws, 'messagesDeleted', n),
        );
        await drain(
          () => deleteOldNotesBatch(db, { widgetId, before, limit }),
          (n) => add(ws, 'notesDeleted', n),
        );
        await drain(
          () => deleteOldAttachmentsBatch(db, { widgetId, before, limit }),
          () => {},
        );
        await drain(
          () => deleteOldQueryContentBatch(db, { widgetId, before, limit }),
          (n) => add(ws, 'fieldsCleared', n),
        );
        await drain(
          () => pruneArchivedHistoryBatch(db, vault, { widgetId, before, limit }),
          (n) => add(ws, 'archivesPruned', n),
        );
      }
      const before = new Date(now.getTime() - rules.inactivityDays * DAY).toISOString();
      await drain(
        async () => {
          const r = await handleInactiveBatch(
            db,
            vault,
            { widgetId, before, archive: rules.archiveInactive, now, limit },
            (done) => add(ws, done === 'archived' ? 'conversationsArchived' : 'conversationsDeleted', 1),
          );
          return r.seen;
        },
        () => {},
      );
      if (rules.storageOff) {
        await drain(
          () => purgeClosedBatch(db, vault, widgetId, limit),
          (n) => add(ws, 'closedConversationsPurged', n),
        );
        await drain(
          () => purgeClosedQueryContentBatch(db, { widgetId, limit }),
          (n) => add(ws, 'fieldsCleared', n),
        );
        await drain(
          () => purgeClosedCheckpointDataBatch(db, { widgetId, limit }),
          (n) => add(ws, 'fieldsCleared', n),
        );
      }
    } catch (err) {
      const entry = result.byWorkspace.get(ws) ?? { counts: { ...ZERO_COUNTS }, error: null };
      entry.error = `widget ${widgetId}: ${(err as Error).message}`.slice(0, 500);
      result.byWorkspace.set(ws, entry);
    }
  }
  const finishedAt = new Date(now.getTime() + (Date.now() - t0)).toISOString();
  const failed = [...result.byWorkspace.values()].some((e) => e.error !== null);
  emit('retention.run', { outcome: failed ? 'failed' : 'completed', seconds: (Date.now() - t0) / 1000 });
  await recordRuns(db, options.node, { startedAt, finishedAt }, result);
  await deleteRetentionRunsBefore(db, new Date(now.getTime() - RUN_HISTORY_DAYS * DAY).toISOString());
  return result;
}

/** One row per workspace the run touched (or failed in), for the administrators of that workspace. */
async function recordRuns(
  db: Db,
  node: string,
  { startedAt, finishedAt }: { startedAt: string; finishedAt: string },
  result: RetentionRunResult,
): Promise<void> {
  for (const [workspaceId, entry] of result.byWorkspace) {
    const touched = Object.values(entry.counts).some((n) => n > 0);
    if (!touched && !entry.error) continue;
    await insertRetentionRun(db, {
      id: randomUUID(),
      workspace_id: workspaceId,
      node,
      started_at: startedAt,
      finished_at: finishedAt,
      counts: JSON.stringify(entry.counts),
      error: entry.error,
    });
  }
}

/**
 * A batch whose transaction met another writer in a deadlock (PostgreSQL rolls one of them back: the
 * search indexer writing a just-stored message's terms, say, while the batch deletes that message)
 * runs again, as batches are idempotent; before, the widget's remaining rules waited for the next run.
 */
async function againAfterConflict(batch: () => Promise<number>): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await batch();
    } catch (err) {
      if (attempt >= 3 || !isWriteConflict(err)) throw err;
    }
  }
}
