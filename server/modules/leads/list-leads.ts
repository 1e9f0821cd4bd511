import { LEAD_LIMITS, type Lead, type LeadPage } from '../../../protocol/leads.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import { findFlowNames } from '../bot/lookups.js';
import type { Vault } from '../encryption/vault.js';
import { maskText } from '../privacy/masking.js';
import { type Viewer, viewProfile } from '../privacy/views.js';
import { openProfile } from '../visitors/visitor-profile-codec.js';
import { findLatestConversationIds, listLeadProfiles } from './lead.repository.js';

export interface LeadQuery {
  workspaceId: string;
  widgetId?: string | undefined;
  visitorId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/**
 * A page of leads, newest first: visitors whose profile holds an email, opened under each visitor's
 * key and masked for viewers without personal-data.read. Expired profiles (visitor data TTL) are
 * not leads any more.
 */
export async function listLeads(o: {
  db: Db;
  vault: Vault;
  viewer: Viewer;
  query: LeadQuery;
  now?: Date;
}): Promise<LeadPage> {
  const { db, vault, query } = o;
  const limit = query.limit ?? LEAD_LIMITS.defaultPage;
  for (const t of [query.from, query.to]) {
    if (t !== undefined && Number.isNaN(Date.parse(t)))
      throw new AppError('invalid_request', { details: ['from and to must be ISO times'] });
  }
  const after = query.cursor ? parseCursor(query.cursor) : undefined;
  const rows = await listLeadProfiles(db, {
    workspaceId: query.workspaceId,
    widgetId: query.widgetId,
    visitorId: query.visitorId,
    from: query.from && new Date(query.from).toISOString(),
    to: query.to && new Date(query.to).toISOString(),
    after,
    now: (o.now ?? new Date()).toISOString(),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const latest = new Map<string, string>();
  for (const c of await findLatestConversationIds(
    db,
    page.map((r) => r.visitor_id),
  )) {
    if (!latest.has(c.visitor_id)) latest.set(c.visitor_id, c.id);
  }
  await vault.warm(
    db,
    page.map((r) => r.visitor_id),
  );
  const items: Lead[] = [];
  const opened = [];
  for (const row of page) {
    const key = await vault.forVisitor(db, row.workspace_id, row.visitor_id);
    opened.push({ row, plain: openProfile(key, row) });
  }
  const flowIds = new Set<string>();
  for (const { plain } of opened) {
    const id = flowIdOf(plain.custom['lead.source']);
    if (id) flowIds.add(id);
  }
  const flowNames = new Map(
    (await findFlowNames(db, query.workspaceId, [...flowIds])).map((f) => [f.id, f.name] as const),
  );
  for (const { row, plain } of opened) {
    const shown = viewProfile(
      {
        visitorId: row.visitor_id,
        widgetId: row.widget_id,
        displayName: '',
        name: plain.name,
        email: plain.email,
        phone: plain.phone,
        custom: {},
        collectedAt: plain.collectedAt,
        expiresAt: plain.expiresAt,
        masked: false,
        createdAt: plain.collectedAt,
        lastSeenAt: plain.collectedAt,
      },
      o.viewer,
    );
    const consent = plain.custom['lead.consent'];
    const source = plain.custom['lead.source'] ?? null;
    const flowId = flowIdOf(source ?? undefined);
    const label = flowId ? (flowNames.get(flowId) ?? 'A deleted flow') : source;
    const hide = (text: string | null) => (text === null || o.viewer.personalData ? text : maskText(text));
    items.push({
      visitorId: row.visitor_id,
      widgetId: row.widget_id,
      email: shown.email ?? '',
      name: shown.name,
      phone: shown.phone,
      source: hide(source),
      sourceLabel: hide(label),
      consent: consent === 'granted' || consent === 'declined' ? consent : null,
      collectedAt: row.collected_at,
      conversationId: latest.get(row.visitor_id) ?? null,
      masked: shown.masked,
    });
  }
  const last = page.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? `${last.collected_at}~${last.visitor_id}` : null,
  };
}

/** The flow id in a `flow:<uuid>` lead source (what run-flow.ts records), if it is one. */
function flowIdOf(source: string | undefined): string | null {
  return (
    /^flow:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(source ?? '')?.[1] ?? null
  );
}

function parseCursor(cursor: string): { collectedAt: string; visitorId: string } {
  const [collectedAt = '', visitorId = ''] = cursor.split('~');
  if (Number.isNaN(Date.parse(collectedAt)))
    throw new AppError('invalid_request', { details: ['cursor is not one this list gave'] });
  return { collectedAt, visitorId };
}
