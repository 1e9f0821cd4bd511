import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { isUniqueViolation } from '../../platform/db/unique-violation.js';
import { insertResolutionCode } from './resolution-code.repository.js';

/** Adds a resolution code agents choose when they resolve; a code the workspace has is refused. */
export async function addResolutionCode(options: {
  db: Db;
  workspaceId: string;
  code: string;
  label: string;
}): Promise<{ id: string; code: string; label: string }> {
  const row = {
    id: randomUUID(),
    workspace_id: options.workspaceId,
    code: options.code,
    label: options.label,
    created_at: nowIso(),
  };
  await insertResolutionCode(options.db, row).catch((err: unknown) => {
    throw isUniqueViolation(err) ? new AppError('resolution_code_taken') : err;
  });
  return { id: row.id, code: row.code, label: row.label };
}
