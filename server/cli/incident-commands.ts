import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { endAllCredentials } from '../modules/auth/end-all-credentials.js';
import type { DbHandle } from '../platform/db/create-db.js';
import { createRedisPubSub } from '../platform/pubsub/redis-pubsub.js';
import { confirm } from './passphrase.js';

export const INCIDENT_USAGE = `  sessions end (--workspace ID | --all) [--yes]   end every agent session and visitor credential (audited)`;

type WithDb = (run: (db: DbHandle) => Promise<number>) => Promise<number>;

/** `parley sessions end`: the first thing to do when a session cookie or a machine may be compromised. */
export async function sessionsCommand(config: Config, withDb: WithDb, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: { workspace: { type: 'string' }, all: { type: 'boolean' }, yes: { type: 'boolean' } },
  });
  if (sub !== 'end' || Boolean(values.workspace) === Boolean(values.all)) {
    console.error(`Name one workspace or --all.\n\n${INCIDENT_USAGE}`);
    return 1;
  }
  const what = values.all ? 'every workspace' : `workspace ${values.workspace}`;
  if (
    !values.yes &&
    !(await confirm(`End every agent session and visitor credential of ${what}? Everyone signs in again.`))
  ) {
    console.error('Nothing ended (add --yes when not on a terminal).');
    return 1;
  }
  return withDb(async ({ db }) => {
    // With Redis every running node hears of it and closes those sockets at once.
    const pubsub = config.redisUrl ? await createRedisPubSub(config.redisUrl) : null;
    try {
      const ended = await endAllCredentials({
        db,
        pubsub,
        workspaceId: values.workspace ?? null,
        via: 'cli',
      });
      if (!ended) {
        console.error(`No workspace ${values.workspace}.`);
        return 1;
      }
      for (const e of ended)
        console.log(
          `Workspace ${e.workspaceId}: ended ${e.sessions} agent session(s), ${e.visitorCredentials} visitor credential(s), ${e.tickets} ticket(s); recorded in its audit log.`,
        );
      if (!pubsub)
        console.log(
          'Running nodes close agent sockets within a heartbeat (about 25 s); restart Parley to close visitor sockets now.',
        );
      return 0;
    } finally {
      await pubsub?.close();
    }
  });
}
