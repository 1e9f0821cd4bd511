import type { Config } from '../config.js';
import { createSetupLink } from '../modules/auth/create-setup-link.js';
import { createDb } from '../platform/db/create-db.js';
import { migrateToLatest } from '../platform/db/migrate.js';
import { openVaultForStart } from './start-data-protection.js';
import { superviseWorkers } from './workers.js';

/**
 * The primary of `parley start --workers N`: what must happen once happens here, before any worker
 * starts (migrations; the key ring, whose file a first start creates), then it supervises the
 * workers, says once where Parley runs, and on SIGTERM or SIGINT drains them all and exits 0.
 */
export async function startWorkers(config: Config, printSetupLink: (url: string) => void): Promise<number> {
  const db = createDb(config.database);
  let link: { url: string } | null = null;
  try {
    await migrateToLatest(db.db);
    await openVaultForStart(config, db);
    link = await createSetupLink({ db: db.db, config });
  } catch (err) {
    console.error(`Parley could not start: ${(err as Error).message}`);
    return 1;
  } finally {
    await db.close();
  }

  const workers = superviseWorkers(config.workers, (line) => console.log(line));
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  try {
    await Promise.race([workers.ready, stopped]);
  } catch (err) {
    console.error(`Parley could not start: ${(err as Error).message}`);
    await workers.stop();
    return 1;
  }
  console.log(`\nParley is running.\n\n  Dashboard: ${config.publicUrl}/`);
  console.log('  Storage:   PostgreSQL');
  console.log(`  Workers:   ${config.workers} processes (pid ${process.pid} supervises)`);
  console.log('  Pub/sub:   Redis');
  if (config.metrics?.port)
    console.log(
      `  Metrics:   worker N on port ${config.metrics.port}+N-1 (${config.metrics.port}–${config.metrics.port + config.workers - 1})`,
    );
  if (link) printSetupLink(link.url);

  await stopped;
  console.log('Shutting down: each worker finishes its requests and messages in flight…');
  await workers.stop();
  return 0;
}
