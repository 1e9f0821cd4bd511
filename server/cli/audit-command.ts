import { verifyAuditLog } from '../modules/audit/verify-audit-log.js';
import type { Db } from '../platform/db/schema.js';

/** `parley audit verify`: exit 0 when every chain is intact, 3 when any entry was edited or removed. */
export async function auditCommand(db: Db, sub: string | undefined): Promise<number> {
  if (sub !== 'verify') {
    console.error('Usage: parley audit verify');
    return 1;
  }
  const result = await verifyAuditLog(db);
  if (result.ok) {
    console.log(
      `Audit log intact: ${result.entries} entries in ${result.workspaces} workspace chain(s) verified.`,
    );
    return 0;
  }
  console.error(`Audit log verification FAILED (${result.problems.length} problem(s)):`);
  for (const p of result.problems) console.error(`  - ${p}`);
  return 3;
}
