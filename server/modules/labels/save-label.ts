import { randomUUID } from 'node:crypto';
import { LABEL_LIMITS, type Label, type LabelBody } from '../../../protocol/labels.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/schema.js';
import { isUniqueViolation } from '../../platform/db/unique-violation.js';
import { presentLabel } from './label.presenter.js';
import { countLabels, insertLabel, updateLabel } from './label.repository.js';
import { cleanLabelName, labelNameKey } from './label-name.js';

/**
 * Creates a label, or renames and recolours one (`id`), with `audit` in the same transaction. A name
 * the workspace already has (folded) is refused, and so is one label more than the limit.
 */
export async function saveLabel(o: {
  db: Db;
  workspaceId: string;
  id?: string;
  input: LabelBody;
  audit: (trx: Executor, labelId: string) => Promise<void>;
}): Promise<Label> {
  const name = cleanLabelName(o.input.name);
  if (name.length === 0) throw new AppError('invalid_request', { details: ['name: must not be blank'] });
  const at = nowIso();
  const colour = o.input.colour.toLowerCase();
  try {
    return await o.db.transaction().execute(async (trx) => {
      if (o.id) {
        const ok = await updateLabel(trx, o.workspaceId, o.id, {
          name,
          name_key: labelNameKey(name),
          colour,
          updated_at: at,
        });
        if (!ok) throw new AppError('label_not_found');
        await o.audit(trx, o.id);
        return presentLabel({ id: o.id, name, colour, created_at: at });
      }
      if ((await countLabels(trx, o.workspaceId)) >= LABEL_LIMITS.maxLabelsPerWorkspace)
        throw new AppError('label_limit_reached');
      const row = {
        id: randomUUID(),
        workspace_id: o.workspaceId,
        name,
        name_key: labelNameKey(name),
        colour,
        created_at: at,
        updated_at: at,
      };
      await insertLabel(trx, row);
      await o.audit(trx, row.id);
      return presentLabel(row);
    });
  } catch (err) {
    throw isUniqueViolation(err) ? new AppError('label_name_taken') : err;
  }
}
