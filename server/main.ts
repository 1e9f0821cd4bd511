#!/usr/bin/env node
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { auditCommand } from './cli/audit-command.js';
import { DATA_COMMANDS, DATA_USAGE, runDataCommand } from './cli/data-commands.js';
import { outboxCommand } from './cli/outbox-command.js';
import { searchCommand } from './cli/search-command.js';
import { startWorkers } from './cli/start-workers.js';
import { type Config, ConfigError, loadConfig, withEnvironment } from './config.js';
import { createSetupLink } from './modules/auth/create-setup-link.js';
import { createWorkspace } from './modules/workspaces/create-workspace.js';
import { createDb, type DbHandle } from './platform/db/create-db.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { installProcessGuards } from './platform/process-guards.js';
import { createMemoryPubSub } from './platform/pubsub/memory-pubsub.js';
import type { PubSub } from './platform/pubsub/pubsub.js';

const USAGE = `Usage: parley <command>

Commands:
  start [--workers N]                migrate the database and serve Parley (N processes: PostgreSQL + Redis)
  migrate                            apply database migrations and exit
  admin setup-link [--workspace ID]  print a one-time link that creates a workspace's first administrator
  admin create-workspace --name NAME create a workspace and print its setup link
  audit verify                       check every audit log hash chain; exit 3 if anything was altered
  outbox [--workspace ID]            print invitation and password-reset mail held in the outbox
  search reindex                     index every stored message and visitor profile for search (idempotent)
${DATA_USAGE}
  help                               show this text

Settings come from the environment; see the configuration table in README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  const config = loadConfigOrExit(command === 'start' ? startOverrides(argv.slice(1)) : {});
  switch (command) {
    case 'start':
      // With several workers this process only supervises them (cli/workers.ts); each serves.
      if (config.workers > 1 && config.workerSlot === null) return startWorkers(config, printSetupLink);
      return start(config);
    case 'migrate':
      return withDb(config, async () => 0);
    case 'admin':
      return admin(config, sub, rest);
    case 'audit':
      return withDb(config, ({ db }) => auditCommand(config, db, sub));
    case 'search':
      return withDb(config, ({ db }) => searchCommand(config, db, sub));
    case 'outbox': {
      const { values } = parseArgs({
        args: [sub, ...rest].filter((a): a is string => a !== undefined),
        options: { workspace: { type: 'string' } },
      });
      return withDb(config, ({ db }) => outboxCommand(config, db, values.workspace));
    }
    default:
      if (DATA_COMMANDS.has(command)) return runDataCommand(config, command, argv.slice(1));
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 1;
  }
}

/** `parley start --workers N` is PARLEY_WORKERS=N for this start. */
function startOverrides(args: string[]): Record<string, string> {
  const { values } = parseArgs({ args, options: { workers: { type: 'string' } } });
  return values.workers === undefined ? {} : { PARLEY_WORKERS: values.workers };
}

function loadConfigOrExit(overrides: Record<string, string>): Config {
  try {
    return loadConfig(withEnvironment(overrides));
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

async function withDb(config: Config, run: (db: DbHandle) => Promise<number>): Promise<number> {
  const db = createDb(config.database);
  try {
    await migrateToLatest(db.db);
    return await run(db);
  } finally {
    await db.close();
  }
}

async function admin(config: Config, sub: string | undefined, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { workspace: { type: 'string' }, name: { type: 'string' } },
  });
  return withDb(config, async ({ db }) => {
    if (sub === 'setup-link') {
      const link = await createSetupLink({
        db,
        config,
        ...(values.workspace ? { workspaceId: values.workspace } : {}),
      });
      if (!link) {
        console.error('That workspace already has an administrator; sign in instead.');
        return 1;
      }
      printSetupLink(link.url);
      return 0;
    }
    if (sub === 'create-workspace') {
      if (!values.name?.trim()) {
        console.error('Give the workspace a name: parley admin create-workspace --name "Acme Support"');
        return 1;
      }
      const workspace = await createWorkspace({ db, name: values.name.trim() });
      const link = await createSetupLink({ db, config, workspaceId: workspace.id });
      console.log(`Created workspace ${workspace.id}.`);
      if (link) printSetupLink(link.url);
      return 0;
    }
    console.error(`Unknown admin command.\n\n${USAGE}`);
    return 1;
  });
}

function printSetupLink(url: string): void {
  console.log(`\nOne-time setup link (works once, expires in 1 hour):\n\n  ${url}\n`);
}

async function start(config: Config): Promise<number> {
  // The server itself is loaded only to serve: the other commands start in half the time without it.
  const [
    { buildApp },
    { afterStart, openVaultForStart },
    { startRedirectServer },
    { createRedisPubSub },
    { startMetricsServer },
    { emit },
  ] = await Promise.all([
    import('./app.js'),
    import('./cli/start-data-protection.js'),
    import('./platform/http/https-redirect.js'),
    import('./platform/pubsub/redis-pubsub.js'),
    import('./platform/metrics/metrics-server.js'),
    import('./platform/metrics/signals.js'),
  ]);
  let app: FastifyInstance | null = null;
  const db = createDb(config.database, {
    onError: (err) => {
      emit('database.error', {});
      app?.log.warn({ err: { message: err.message } }, 'database connection lost');
    },
    onCheckpointFailure: (message) => app?.log.warn({ err: { message } }, 'WAL checkpoint failed'),
  });
  let pubsub: PubSub | null = null;
  let stopRedirect: (() => Promise<void>) | null = null;
  let stopMetrics: (() => Promise<void>) | null = null;
  let stopScheduler = async () => {};
  try {
    await migrateToLatest(db.db);
    const vault = await openVaultForStart(config, db);
    pubsub = config.redisUrl
      ? await createRedisPubSub(config.redisUrl, (err) => {
          emit('pubsub.error', {});
          app?.log.error({ err }, 'redis error');
        })
      : createMemoryPubSub();
    app = await buildApp({ config, db, pubsub, vault });
    // Listen as soon as the node can serve: a restart after a crash puts it back in seconds. What
    // can wait (sealing rows from before encryption at rest, which reads stay able to open, and the
    // retention scheduler) starts after.
    await app.listen({ host: config.host, port: config.port });
    const { httpRedirectPort } = config;
    if (httpRedirectPort !== null) stopRedirect = await startRedirectServer({ ...config, httpRedirectPort });
    // Workers share the main port; each has a metrics listener of its own (the port + its slot - 1).
    const metricsListener = config.metrics?.port
      ? { ...config.metrics, port: config.metrics.port + (config.workerSlot ?? 1) - 1 }
      : null;
    if (metricsListener) {
      const log = app.log;
      const server = await startMetricsServer(metricsListener, app.metrics, (err) =>
        log.error({ err: { message: err.message } }, 'metrics collection failed'),
      );
      stopMetrics = server.close;
    }
    stopScheduler = await afterStart({ config, db, vault, log: app.log, pubsub });
  } catch (err) {
    console.error(`Parley could not start: ${(err as Error).message}`);
    await stopMetrics?.();
    await app?.close();
    await pubsub?.close();
    await db.close();
    return 1;
  }
  const running = app;
  installProcessGuards(
    () => running.log,
    async () => {
      await running.close();
      await db.close();
    },
  );
  // A drain: new requests are answered 503 (a load balancer sends them elsewhere), requests in flight
  // finish, sockets finish the frames they sent and close with 1012 (reconnect now), then the
  // listeners, pub/sub and the database close; exit status 0.
  const drain = async (): Promise<number> => {
    console.log('Shutting down: finishing requests and messages in flight…');
    await stopRedirect?.();
    await stopMetrics?.();
    await stopScheduler();
    await running.close();
    await pubsub?.close();
    await db.close();
    console.log('Stopped.');
    return 0;
  };
  if (config.workerSlot !== null) {
    // The primary said where Parley runs and printed the setup link (start-workers.ts).
    console.log(`Worker ${config.workerSlot} (pid ${process.pid}) is serving.`);
    process.send?.({ parley: 'serving' });
    await signalled();
    return drain();
  }
  console.log(`\nParley is running.\n\n  Dashboard: ${config.publicUrl}/`);
  console.log(`  Storage:   ${config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL'}`);
  console.log(`  Pub/sub:   ${config.redisUrl ? 'Redis' : 'in-process'}`);
  if (config.httpRedirectPort !== null)
    console.log(`  HTTP:      port ${config.httpRedirectPort} redirects to ${config.publicUrl}`);
  if (config.metrics)
    console.log(
      `  Metrics:   ${config.metrics.port ? `http://${config.metrics.host}:${config.metrics.port}/metrics` : `${config.publicUrl}/metrics`}${config.metrics.token ? ' (bearer token)' : ''}`,
    );
  const link = await createSetupLink({ db: db.db, config });
  if (link) printSetupLink(link.url);
  await signalled();
  return drain();
}

function signalled(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`parley: ${(err as Error).message}`);
    process.exit(1);
  },
);
