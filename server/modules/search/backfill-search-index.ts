import type { Db } from '../../platform/db/schema.js';
import { openMessageRow } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import { indexMessage } from './index-message.js';
import { indexVisitorProfile } from './index-visitor-profile.js';
import { selectMessagesAfter, selectProfilesAfter } from './search-index.repository.js';

export interface BackfillResult {
  messages: number;
  profiles: number;
}

/**
 * Indexes what was stored before the index existed (or after a restore): every message and every
 * visitor profile, in bounded batches of `batchSize`, each batch its own transaction. Idempotent:
 * running it again adds nothing, so an interrupted run is simply started again.
 */
export async function backfillSearchIndex(o: {
  db: Db;
  vault: Vault;
  batchSize?: number;
  now?: Date;
}): Promise<BackfillResult> {
  const batchSize = o.batchSize ?? 500;
  const now = (o.now ?? new Date()).toISOString();
  const result: BackfillResult = { messages: 0, profiles: 0 };
  let after = '';
  for (;;) {
    const rows = await selectMessagesAfter(o.db, { afterId: after, limit: batchSize });
    if (rows.length === 0) break;
    await o.db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const key = await o.vault.forConversation(trx, row.conversation_id);
        if (!key) continue;
        if ((await indexMessage(trx, o.vault, openMessageRow(key, row))) > 0) result.messages += 1;
      }
    });
    after = (rows[rows.length - 1] as { id: string }).id;
  }
  after = '';
  for (;;) {
    const rows = await selectProfilesAfter(o.db, { afterId: after, limit: batchSize });
    if (rows.length === 0) break;
    await o.db.transaction().execute(async (trx) => {
      for (const row of rows) {
        if (row.expires_at !== null && row.expires_at <= now) continue;
        const key = await o.vault.forVisitor(trx, row.workspace_id, row.visitor_id);
        await indexVisitorProfile(trx, o.vault, {
          workspaceId: row.workspace_id,
          visitorId: row.visitor_id,
          name: key.openNullable('visitor_profiles', 'name', row.visitor_id, row.name),
          email: key.openNullable('visitor_profiles', 'email', row.visitor_id, row.email),
        });
        result.profiles += 1;
      }
    });
    after = (rows[rows.length - 1] as { visitor_id: string }).visitor_id;
  }
  return result;
}
