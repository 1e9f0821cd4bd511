import { LEGACY_PREFIX } from '../../platform/crypto/envelope.js';
import type { Db } from '../../platform/db/schema.js';
import {
  listLegacyMessages,
  listLegacyPreviews,
  updateMessageBody,
  updatePreview,
} from './legacy.repository.js';
import { sealMessageRow, sealPreview } from './message-cipher.js';
import type { Vault } from './vault.js';

/**
 * Seals text written before encryption at rest (marked `p0:` by the data-protection migration) under
 * each visitor's data key, in batches. Runs at every start; after the first it finds nothing.
 */
export async function sealLegacyRows(options: { db: Db; vault: Vault; batchSize?: number }): Promise<number> {
  const { db, vault } = options;
  const limit = options.batchSize ?? 500;
  let sealed = 0;
  for (;;) {
    const rows = await listLegacyMessages(db, limit);
    for (const row of rows) {
      const key = await vault.forConversation(db, row.conversation_id);
      if (!key) continue;
      const plain = { ...row, body: row.body.slice(LEGACY_PREFIX.length) };
      await updateMessageBody(db, row.id, row.body, sealMessageRow(key, plain).body);
      sealed += 1;
    }
    if (rows.length < limit) break;
  }
  for (;;) {
    const rows = await listLegacyPreviews(db, limit);
    for (const row of rows) {
      const key = await vault.forConversation(db, row.id);
      if (!key || row.last_message_preview === null) continue;
      const plain = row.last_message_preview.slice(LEGACY_PREFIX.length);
      await updatePreview(db, row.id, row.last_message_preview, sealPreview(key, row.id, plain));
      sealed += 1;
    }
    if (rows.length < limit) break;
  }
  return sealed;
}
