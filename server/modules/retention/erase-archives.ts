import type { Executor } from '../../platform/db/schema.js';
import { deleteArchivesOfVisitor } from './archive.repository.js';

/** An erased visitor's archived conversations go with them, in the erasure's transaction. */
export function eraseArchivesOfVisitor(db: Executor, visitorId: string): Promise<void> {
  return deleteArchivesOfVisitor(db, visitorId);
}
