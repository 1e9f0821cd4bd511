import type { Executor } from '../../platform/db/schema.js';
import { deleteVisitorKey } from './data-key.repository.js';

/**
 * Crypto-shredding: the visitor's wrapped data key is deleted, so any copy of their ciphertext
 * elsewhere (a backup, a replica) can no longer be opened. In the erasure's transaction.
 */
export function shredVisitorKey(db: Executor, visitorId: string): Promise<void> {
  return deleteVisitorKey(db, visitorId);
}
