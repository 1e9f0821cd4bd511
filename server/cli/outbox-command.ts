import { listOutbox } from '../platform/mail/outbox.repository.js';
import { nowIso } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';

/** `parley outbox`: prints the invitation and reset mail waiting in the embedded outbox. */
export async function outboxCommand(db: Db, workspaceId: string | undefined): Promise<number> {
  const rows = await listOutbox(db, workspaceId ?? null, nowIso());
  if (rows.length === 0) {
    console.log('The outbox is empty (mail whose link expired is removed).');
    return 0;
  }
  for (const r of rows.reverse()) {
    console.log(`── ${r.created_at}  workspace ${r.workspace_id}`);
    console.log(`To: ${r.to_address}\nSubject: ${r.subject}\nExpires: ${r.expires_at}\n\n${r.body}\n`);
  }
  return 0;
}
