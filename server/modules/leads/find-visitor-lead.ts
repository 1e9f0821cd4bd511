import type { Lead } from '../../../protocol/leads.js';
import type { Db } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { FULL_VIEW } from '../privacy/views.js';
import { listLeads } from './list-leads.js';

/** The visitor's lead as the leads list shows it, unmasked (for their export), or null if they are none. */
export async function findVisitorLead(o: {
  db: Db;
  vault: Vault;
  workspaceId: string;
  visitorId: string;
}): Promise<Lead | null> {
  const page = await listLeads({
    db: o.db,
    vault: o.vault,
    viewer: FULL_VIEW,
    query: { workspaceId: o.workspaceId, visitorId: o.visitorId, limit: 1 },
  });
  return page.items[0] ?? null;
}
