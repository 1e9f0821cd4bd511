import { LEAD_LIMITS, type Lead } from '../../../protocol/leads.js';
import { toCsv } from '../../platform/csv.js';
import type { Db } from '../../platform/db/schema.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { Vault } from '../encryption/vault.js';
import { FULL_VIEW } from '../privacy/views.js';
import { type LeadQuery, listLeads } from './list-leads.js';

const COLUMNS = [
  'collectedAt',
  'email',
  'name',
  'phone',
  'source',
  'consent',
  'widgetId',
  'visitorId',
  'conversationId',
] as const;

/**
 * Every lead matching the filter (at most LEAD_LIMITS.maxExport), unmasked: only roles with
 * `visitors.export` reach this. The export is audited with its size, never its content.
 */
export async function exportLeads(o: {
  db: Db;
  vault: Vault;
  actorUserId: string;
  query: Omit<LeadQuery, 'cursor' | 'limit'>;
}): Promise<Lead[]> {
  const leads: Lead[] = [];
  let cursor: string | undefined;
  do {
    const page = await listLeads({
      db: o.db,
      vault: o.vault,
      viewer: FULL_VIEW,
      query: { ...o.query, limit: LEAD_LIMITS.maxPage, ...(cursor ? { cursor } : {}) },
    });
    leads.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && leads.length < LEAD_LIMITS.maxExport);
  const rows = leads.slice(0, LEAD_LIMITS.maxExport);
  await recordAuditEvent(o.db, {
    workspaceId: o.query.workspaceId,
    actor: { type: 'user', id: o.actorUserId },
    action: 'leads.exported',
    details: { count: rows.length, widgetId: o.query.widgetId ?? null },
  });
  return rows;
}

/** The leads as CSV, formulas defused (`platform/csv.ts`). */
export function leadsToCsv(leads: readonly Lead[]): string {
  return toCsv([COLUMNS, ...leads.map((lead) => COLUMNS.map((c) => lead[c]))]);
}
