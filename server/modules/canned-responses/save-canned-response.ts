import { randomUUID } from 'node:crypto';
import { unknownCannedVariables } from '../../../protocol/service.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { isUniqueViolation } from '../../platform/db/unique-violation.js';
import { presentCannedResponse } from './canned-response.presenter.js';
import { insertCannedResponse, updateCannedResponse } from './canned-response.repository.js';

export interface CannedResponseInput {
  shortcut: string;
  title: string;
  body: string;
}

/**
 * Creates a canned response, or replaces one (`id`). A body that uses a variable the composer would
 * not fill in is refused, as is a shortcut the workspace already has.
 */
export async function saveCannedResponse(options: {
  db: Db;
  workspaceId: string;
  id?: string;
  input: CannedResponseInput;
}) {
  const { db, workspaceId, input } = options;
  const unknown = unknownCannedVariables(input.body);
  if (unknown.length > 0)
    throw new AppError('canned_variable_unknown', { details: unknown.map((v) => `unknown variable {${v}}`) });
  const at = nowIso();
  const taken = (err: unknown) => {
    throw isUniqueViolation(err) ? new AppError('shortcut_taken') : err;
  };
  if (options.id) {
    const ok = await updateCannedResponse(db, workspaceId, options.id, { ...input, updated_at: at }).catch(
      taken,
    );
    if (!ok) throw new AppError('canned_response_not_found');
    return presentCannedResponse({ id: options.id, ...input });
  }
  const row = { id: randomUUID(), workspace_id: workspaceId, ...input, created_at: at, updated_at: at };
  await insertCannedResponse(db, row).catch(taken);
  return presentCannedResponse(row);
}
