import type { Executor } from '../../platform/db/schema.js';
import type { ErasuresTable } from '../../platform/db/schema-data-protection.js';
import { visitorExists } from '../visitors/erase-visitor-records.js';
import { insertErasure, listErasures } from './erasure.repository.js';
import { purgeVisitorRows } from './purge-visitor-rows.js';

/**
 * After a restore: every erasure on record — in the backup, and `extra` ones recorded in the database
 * that the backup replaced — is applied again, so no erased visitor comes back. Returns how many
 * visitors it removed.
 */
export async function reapplyErasures(db: Executor, extra: ErasuresTable[]): Promise<number> {
  const known = new Set((await listErasures(db)).map((e) => e.id));
  for (const e of extra) if (!known.has(e.id)) await insertErasure(db, e);
  const visitorIds = new Set((await listErasures(db)).map((e) => e.visitor_id));
  let removed = 0;
  for (const id of visitorIds) {
    if (!(await visitorExists(db, id))) continue;
    await purgeVisitorRows(db, id);
    removed += 1;
  }
  return removed;
}
