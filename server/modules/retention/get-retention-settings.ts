import type { RetentionBody } from '../../../protocol/data-protection.js';
import type { Executor } from '../../platform/db/schema.js';
import { findRetentionRow } from './retention.repository.js';
import { retentionOf } from './retention-policy.js';

/** A widget's retention rules (the defaults when none were saved). */
export async function getRetentionSettings(options: {
  db: Executor;
  widgetId: string;
}): Promise<RetentionBody & { updatedAt: string | null }> {
  const row = await findRetentionRow(options.db, options.widgetId);
  return { ...retentionOf(row), updatedAt: row?.updated_at ?? null };
}
