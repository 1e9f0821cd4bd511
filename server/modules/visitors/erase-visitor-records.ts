import type { Executor } from '../../platform/db/schema.js';
import { deleteVisitorRecords, visitorRowExists } from './visitor.repository.js';

/** An erased visitor's tickets, credentials, profile and row go, in the erasure's transaction. */
export function eraseVisitorRecords(db: Executor, visitorId: string): Promise<void> {
  return deleteVisitorRecords(db, visitorId);
}

/** Whether the visitor still exists (a restore re-applies only erasures of visitors that came back). */
export function visitorExists(db: Executor, visitorId: string): Promise<boolean> {
  return visitorRowExists(db, visitorId);
}
