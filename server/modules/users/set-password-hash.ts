import type { Executor } from '../../platform/db/schema.js';
import { updatePasswordHash } from './user.repository.js';

/** Stores a user's new password hash, inside the caller's transaction (a change or a reset). */
export function setPasswordHash(db: Executor, userId: string, hash: string): Promise<void> {
  return updatePasswordHash(db, userId, hash);
}
