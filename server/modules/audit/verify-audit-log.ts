import type { Executor } from '../../platform/db/schema.js';
import { auditChainPage, listAuditedWorkspaceIds, listAuditHeads } from './audit.repository.js';
import { auditHash, GENESIS_HASH } from './audit-hash.js';

export interface AuditVerification {
  ok: boolean;
  workspaces: number;
  entries: number;
  /** One line per problem found, naming the workspace and the entry. */
  problems: string[];
}

const PAGE = 1000;

/**
 * Walks every workspace's chain: seqs must run 1, 2, 3… without gaps, each entry must link to the
 * previous entry's hash and hash to its own stored hash, and the head must point at the last entry.
 */
export async function verifyAuditLog(db: Executor): Promise<AuditVerification> {
  const heads = new Map((await listAuditHeads(db)).map((h) => [h.workspace_id, h]));
  const ids = new Set([...heads.keys(), ...(await listAuditedWorkspaceIds(db))]);
  const problems: string[] = [];
  let entries = 0;
  for (const workspaceId of [...ids].sort()) {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    for (;;) {
      const page = await auditChainPage(db, workspaceId, expectedSeq - 1, PAGE);
      for (const row of page) {
        entries++;
        const seq = Number(row.seq);
        if (seq !== expectedSeq)
          problems.push(`workspace ${workspaceId}: entry ${expectedSeq} is missing (next is ${seq})`);
        if (row.prev_hash !== prevHash)
          problems.push(`workspace ${workspaceId}: entry ${seq} does not link to the entry before it`);
        if (auditHash({ ...row, seq }) !== row.hash)
          problems.push(`workspace ${workspaceId}: entry ${seq} was modified after it was written`);
        expectedSeq = seq + 1;
        prevHash = row.hash;
      }
      if (page.length < PAGE) break;
    }
    const head = heads.get(workspaceId);
    if (!head) problems.push(`workspace ${workspaceId}: the chain head is missing`);
    else if (Number(head.seq) !== expectedSeq - 1 || head.hash !== prevHash)
      problems.push(
        `workspace ${workspaceId}: the chain ends at entry ${expectedSeq - 1} but its head says ${head.seq}; entries were removed`,
      );
  }
  return { ok: problems.length === 0, workspaces: ids.size, entries, problems };
}
