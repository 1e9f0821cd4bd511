import { randomBytes, randomUUID } from 'node:crypto';
import type { Executor } from '../../platform/db/schema.js';
import { insertVisitor } from './visitor.repository.js';

/**
 * A visitor for a customer who writes through a messaging platform (channels/): no credential, no
 * browser; the channel finds them again by the platform's sender id. Named with a pseudonym, like
 * every visitor, so the name says nothing about the person.
 */
export async function startChannelVisitor(
  db: Executor,
  o: { workspaceId: string; widgetId: string; label: string; at: string },
): Promise<{ id: string; name: string }> {
  const id = randomUUID();
  const name = `${o.label} ${randomBytes(2).toString('hex')}`;
  await insertVisitor(db, {
    id,
    workspace_id: o.workspaceId,
    widget_id: o.widgetId,
    display_name: name,
    external_user_id: null,
    created_at: o.at,
    last_seen_at: o.at,
  });
  return { id, name };
}
