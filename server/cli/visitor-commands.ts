import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { createVault } from '../modules/encryption/create-vault.js';
import { eraseVisitor } from '../modules/privacy/erase-visitor.js';
import { findVisitorById } from '../modules/privacy/erasure.repository.js';
import { exportVisitor } from '../modules/privacy/export-visitor.js';
import { createRetentionJob } from '../modules/retention/create-retention-job.js';
import { findVisitorsByEmail } from '../modules/visitors/find-visitors-by-email.js';
import type { DbHandle } from '../platform/db/create-db.js';
import { createRedisPubSub } from '../platform/pubsub/redis-pubsub.js';
import { confirm } from './passphrase.js';

export const VISITOR_USAGE = `  erase (--visitor ID | --workspace ID --email EMAIL) [--yes]   erase a visitor: key, rows and archives
  visitor export (--visitor ID | --workspace ID --email EMAIL) [--out FILE]   everything held about a visitor, as JSON
  retention run                      apply every widget's retention rules once (if no node is running them)`;

type WithDb = (run: (db: DbHandle) => Promise<number>) => Promise<number>;

export async function visitorCommand(
  config: Config,
  withDb: WithDb,
  command: string,
  args: string[],
): Promise<number> {
  const sub = command === 'erase' ? 'erase' : args.shift();
  const { values } = parseArgs({
    args,
    options: {
      visitor: { type: 'string' },
      workspace: { type: 'string' },
      email: { type: 'string' },
      out: { type: 'string' },
      yes: { type: 'boolean' },
    },
  });
  const vault = createVault(config);
  return withDb(async ({ db, dialect }) => {
    if (command === 'retention' && sub === 'run') {
      const job = createRetentionJob({
        db,
        vault,
        config,
        log: { info: (o: object) => console.log(JSON.stringify(o)), error: console.error },
      });
      const outcome = await job.tick();
      if (outcome === 'busy')
        console.log('Another node is running the retention rules right now; nothing done.');
      return outcome === 'ran' ? 0 : 1;
    }
    let visitorIds: string[] = [];
    if (values.visitor) visitorIds = [values.visitor];
    else if (values.workspace && values.email)
      visitorIds = await findVisitorsByEmail({
        db,
        vault,
        workspaceId: values.workspace,
        email: values.email,
      });
    else {
      console.error(`Name the visitor.\n\n${VISITOR_USAGE}`);
      return 1;
    }
    const visitors = [];
    for (const id of visitorIds) {
      const v = await findVisitorById(db, id);
      if (v) visitors.push(v);
    }
    if (visitors.length === 0) {
      console.error('No such visitor.');
      return 1;
    }
    if (command === 'visitor' && sub === 'export') {
      const exports = [];
      for (const v of visitors) {
        exports.push(
          await exportVisitor({ db, vault, workspaceId: v.workspace_id, visitorId: v.id, actorUserId: null }),
        );
      }
      const text = `${JSON.stringify(exports.length === 1 ? exports[0] : exports, null, 2)}\n`;
      if (values.out) {
        writeFileSync(resolve(values.out), text, { mode: 0o600 });
        console.log(`Wrote the export of ${exports.length} visitor(s) to ${values.out}.`);
      } else process.stdout.write(text);
      return 0;
    }
    if (command === 'erase') {
      if (
        !values.yes &&
        !(await confirm(
          `Erase ${visitors.length} visitor(s) and everything held about them? This cannot be undone.`,
        ))
      ) {
        console.error('Not erased (add --yes when not on a terminal).');
        return 1;
      }
      // With Redis, running nodes hear of it at once: they close the visitor's sockets and drop the key.
      const pubsub = config.redisUrl ? await createRedisPubSub(config.redisUrl) : null;
      try {
        for (const v of visitors) {
          const e = await eraseVisitor({
            db,
            dialect,
            vault,
            pubsub,
            workspaceId: v.workspace_id,
            visitorId: v.id,
            actorUserId: null,
            via: 'cli',
          });
          console.log(`Erased visitor ${e.visitorId} (erasure ${e.id}).`);
        }
      } finally {
        await pubsub?.close();
      }
      if (!pubsub)
        console.log(
          'Every row and the key are gone; a running node forgets its cached copy within the hour.',
        );
      return 0;
    }
    console.error(`Unknown command.\n\n${VISITOR_USAGE}`);
    return 1;
  });
}
