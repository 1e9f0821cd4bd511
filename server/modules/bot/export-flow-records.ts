import type { ExportedFlowRecords } from '../../../protocol/data-protection.js';
import type { Executor } from '../../platform/db/schema.js';
import type { VisitorKey } from '../encryption/visitor-key.js';
import { listCheckpointsOfConversations, listRunsOfConversations } from './flow-record.repository.js';

/** The flow runs and checkpoints (their copies of the visitor data opened) of the visitor's conversations. */
export async function exportFlowRecords(options: {
  db: Executor;
  key: VisitorKey;
  conversationIds: readonly string[];
}): Promise<Map<string, ExportedFlowRecords>> {
  const out = new Map<string, ExportedFlowRecords>();
  const entry = (conversationId: string) => {
    let e = out.get(conversationId);
    if (!e) {
      e = { run: null, checkpoints: [] };
      out.set(conversationId, e);
    }
    return e;
  };
  for (const r of await listRunsOfConversations(options.db, options.conversationIds)) {
    entry(r.conversation_id).run = {
      flowId: r.flow_id,
      flowVersion: r.flow_version,
      stepId: r.step_id,
      promptSeq: r.prompt_seq,
      attempts: r.attempts,
      awaiting: r.awaiting,
      handoffTeamId: r.handoff_team_id,
      updatedAt: r.updated_at,
    };
  }
  for (const c of await listCheckpointsOfConversations(options.db, options.conversationIds)) {
    entry(c.conversation_id).checkpoints.push({
      id: c.id,
      flowId: c.flow_id,
      name: c.name,
      data:
        c.data === null
          ? null
          : (JSON.parse(options.key.open('conversation_checkpoints', 'data', c.id, c.data)) as Record<
              string,
              unknown
            >),
      createdAt: c.created_at,
    });
  }
  return out;
}
