import { randomUUID } from 'node:crypto';
import { nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import { insertWorkspace } from './workspace.repository.js';

export async function createWorkspace(options: { db: Executor; name: string }) {
  const id = randomUUID();
  const row = { id, workspace_id: id, name: options.name, created_at: nowIso() };
  await insertWorkspace(options.db, row);
  return row;
}
