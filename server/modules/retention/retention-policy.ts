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

/**
 * The kinds of personal data about a visitor; `privacy/data-classification.ts` gives each column's.
 * `identity`: who the embedding site says the visitor is (the verified user id). `visitor-data`: what
 * the visitor (or a flow) told about themselves, and copies of it. `conversation`: what was said and
 * where: messages, previews, notes, pages, resolution notes, rating comments. `record`: ids, times,
 * states and scores that say what happened, not what was said.
 */
export type PersonalDataKind = 'identity' | 'visitor-data' | 'conversation' | 'record';
export type RetentionRuleName = 'visitorDataTtl' | 'historyDeletion' | 'storageOff';
/** Where a copy sits: in a live row, or inside an archived conversation. */
export type CopyPlace = 'live' | 'archived';

/**
 * Which rule deletes which kind of personal data, wherever a copy of it sits. Erasure deletes every
 * kind; a `record` goes with its conversation (inactivity) or with the visitor (erasure). Storage off
 * empties a conversation as it closes and, once the visitor has no open conversation, their data;
 * archives hold conversations that went quiet without closing, so only the visitor's data leaves them.
 */
export function ruleDeletes(rule: RetentionRuleName, kind: PersonalDataKind, place: CopyPlace): boolean {
  if (kind === 'record') return false;
  if (rule === 'visitorDataTtl') return kind !== 'conversation';
  if (rule === 'historyDeletion') return kind === 'conversation';
  return kind !== 'conversation' || place === 'live';
}
