import type { Config } from '../config.js';
import { verifyAuditLog } from '../modules/audit/verify-audit-log.js';
import { createVault } from '../modules/encryption/create-vault.js';
import type { Db } from '../platform/db/schema.js';
import { raiseFromCli } from './cli-alerts.js';

/** `parley audit verify`: exit 0 when every chain is intact, 3 when any entry was edited or removed. */
export async function auditCommand(config: Config, db: Db, sub: string | undefined): Promise<number> {
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
  // The administrators of each workspace whose chain is broken hear of it (mail, webhook).
  await raiseFromCli({
    config,
    db,
    ring: () => createVault(config).ring,
    rule: 'audit_chain_broken',
    facts: { problems: result.problems.length },
    only: (id) => result.problems.some((p) => p.startsWith(`workspace ${id}:`)),
  });
  return 3;
}
