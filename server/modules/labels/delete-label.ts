import { AppError } from '../../errors.js';
import type { Db, Executor } from '../../platform/db/schema.js';
import { deleteLabel as deleteLabelRows } from './label.repository.js';

/** Deletes a label; every conversation carrying it loses it in the same transaction. */
export async function removeLabel(o: {
  db: Db;
  workspaceId: string;
  id: string;
  audit: (trx: Executor) => Promise<void>;
}): Promise<void> {
  await o.db.transaction().execute(async (trx) => {
    if (!(await deleteLabelRows(trx, o.workspaceId, o.id))) throw new AppError('label_not_found');
    await o.audit(trx);
  });
}
