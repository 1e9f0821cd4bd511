import type { Executor, SetupTokensTable } from '../../platform/db/schema.js';

export async function insertSetupToken(db: Executor, row: SetupTokensTable): Promise<void> {
  await db.insertInto('setup_tokens').values(row).execute();
}

/** Older unused links stop working when a new one is printed. */
export async function expireUnusedSetupTokens(db: Executor, workspaceId: string, at: string): Promise<void> {
  await db
    .updateTable('setup_tokens')
    .set({ expires_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .execute();
}

/** Marks the token used and returns it, only if it was unused and unexpired: one winner under races. */
export function consumeSetupToken(db: Executor, tokenHash: string, at: string) {
  return db
    .updateTable('setup_tokens')
    .set({ used_at: at })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .returning(['id', 'workspace_id'])
    .executeTakeFirst();
}
