import type { RetentionBody, RetentionSettings } from '../../../protocol/data-protection.js';
import { AppError } from '../../errors.js';
import type { WidgetRetentionTable } from '../../platform/db/schema-data-protection.js';

/** What a widget without settings does: keep everything, archive after 90 days without a message. */
export const DEFAULT_RETENTION: RetentionBody = {
  visitorDataTtlSeconds: null,
  historyHours: null,
  inactivityDays: 90,
  archiveInactive: true,
  storageOff: false,
};

export const HANDOFF_MIN_HISTORY_HOURS = 24;
export const HANDOFF_REASON =
  'Operators take over conversations from the bot, so they need at least a day of history for context.';

/**
 * Whether a widget's conversations reach the operator inbox. Every widget hands off today: each
 * conversation appears in the inbox and any operator may answer it.
 */
export function handsOffToOperators(_widgetId: string): boolean {
  return true;
}

export function minHistoryHours(widgetId: string): { hours: number; reason: string | null } {
  return handsOffToOperators(widgetId)
    ? { hours: HANDOFF_MIN_HISTORY_HOURS, reason: HANDOFF_REASON }
    : { hours: 1, reason: null };
}

export function assertRetentionValid(widgetId: string, body: RetentionBody): void {
  if (body.historyHours !== null && body.historyHours < minHistoryHours(widgetId).hours) {
    throw new AppError('retention_history_too_short');
  }
}

type Row = Pick<
  WidgetRetentionTable,
  'visitor_data_ttl_seconds' | 'history_hours' | 'inactivity_days' | 'archive_inactive' | 'storage_off'
>;

export function retentionOf(row: { [K in keyof Row]: Row[K] | null } | undefined): RetentionBody {
  if (!row || row.inactivity_days === null) return { ...DEFAULT_RETENTION };
  return {
    visitorDataTtlSeconds: row.visitor_data_ttl_seconds,
    historyHours: row.history_hours,
    inactivityDays: row.inactivity_days,
    archiveInactive: row.archive_inactive === 1,
    storageOff: row.storage_off === 1,
  };
}

export function presentRetention(
  widgetId: string,
  body: RetentionBody,
  updatedAt: string | null,
): RetentionSettings {
  const min = minHistoryHours(widgetId);
  return { ...body, widgetId, minHistoryHours: min.hours, minHistoryReason: min.reason, updatedAt };
}
