import type { ExportedQuery } from '../../../protocol/data-protection.js';
import type { Executor } from '../../platform/db/schema.js';
import type { VisitorKey } from '../encryption/visitor-key.js';
import { presentQuery } from './query.presenter.js';
import { listEventsOfQueries, listQueriesOfConversations } from './query-content.repository.js';

/** Every query of the visitor's conversations, opened, with its events: for the visitor's export. */
export async function exportVisitorQueries(options: {
  db: Executor;
  key: VisitorKey;
  conversationIds: readonly string[];
}): Promise<ExportedQuery[]> {
  const rows = await listQueriesOfConversations(options.db, options.conversationIds);
  const events = await listEventsOfQueries(
    options.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({
    ...presentQuery(
      row,
      options.key,
      events.filter((e) => e.query_id === row.id),
    ),
    updatedAt: row.updated_at,
  }));
}
