import { randomUUID } from 'node:crypto';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { insertResolutionCode, listResolutionCodes } from './resolution-code.repository.js';
import { findResolutionSettings, insertResolutionSettingsOnce } from './resolution-settings.repository.js';

/** What a new workspace resolves with until an administrator changes it. */
export const DEFAULT_RESOLUTION_CODES: ReadonlyArray<{ code: string; label: string }> = [
  { code: 'answered', label: 'Answered' },
  { code: 'bug-reported', label: 'Bug reported' },
  { code: 'feature-request', label: 'Feature request' },
  { code: 'refund-issued', label: 'Refund issued' },
  { code: 'duplicate', label: 'Duplicate' },
  { code: 'spam', label: 'Spam' },
];

/**
 * A workspace's resolution settings, created with the default codes the first time anyone asks
 * (the resolve dialog, the settings screen, a resolution). Once only, even under a race: the
 * settings row's key decides who adds the defaults, so codes an administrator deleted stay deleted.
 */
export async function ensureResolutionDefaults(
  db: Db,
  workspaceId: string,
): Promise<{ codeRequired: boolean }> {
  const existing = await findResolutionSettings(db, workspaceId);
  if (existing) return { codeRequired: existing.code_required === 1 };
  const at = nowIso();
  await db.transaction().execute(async (trx) => {
    if (!(await insertResolutionSettingsOnce(trx, workspaceId, at))) return;
    const taken = new Set((await listResolutionCodes(trx, workspaceId)).map((r) => r.code));
    for (const c of DEFAULT_RESOLUTION_CODES)
      if (!taken.has(c.code))
        await insertResolutionCode(trx, {
          id: randomUUID(),
          workspace_id: workspaceId,
          code: c.code,
          label: c.label,
          created_at: at,
        });
  });
  return { codeRequired: false };
}
