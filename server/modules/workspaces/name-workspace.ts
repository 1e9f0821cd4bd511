import type { Executor } from '../../platform/db/schema.js';
import { renameWorkspace } from './workspace.repository.js';

/** Gives a workspace its name (the first administrator names it at setup), in the caller's transaction. */
export function nameWorkspace(db: Executor, workspaceId: string, name: string): Promise<void> {
  return renameWorkspace(db, workspaceId, name);
}
