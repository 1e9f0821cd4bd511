import type { FastifyBaseLogger } from 'fastify';

/**
 * The last resort, installed by `parley start` only. Every connection, frame and request handles
 * its own failures; what still arrives here is a bug. A stray rejected promise leaves no state half
 * changed, so it is logged and the node keeps serving. An uncaught exception may have stopped code
 * half way, so the node logs it, gives `shutdown` a few seconds, and exits with status 1 for its
 * supervisor to restart it.
 */
export function installProcessGuards(
  log: () => FastifyBaseLogger | null,
  shutdown: () => Promise<void>,
): void {
  process.on('unhandledRejection', (reason) => {
    const logger = log();
    if (logger) logger.error({ err: reason }, 'unhandled promise rejection (the node keeps serving)');
    else console.error('parley: unhandled promise rejection:', reason);
  });
  process.on('uncaughtException', (err) => {
    const logger = log();
    if (logger) logger.fatal({ err }, 'uncaught exception: exiting for a restart');
    else console.error('parley: uncaught exception:', err);
    const timer = setTimeout(() => process.exit(1), 5_000);
    timer.unref();
    shutdown().finally(() => process.exit(1));
  });
}
