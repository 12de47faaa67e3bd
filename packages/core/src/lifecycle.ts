/** The logging a lifecycle helper needs; pino's logger satisfies it. */
export interface LifecycleLogger {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * Stops the process cleanly on SIGTERM or SIGINT: `close` finishes or hands back in-flight work
 * and quits connections. A second signal, or a close that outlives its deadline, exits at once.
 */
export function handleShutdown(logger: LifecycleLogger, timeoutMs: number, close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) {
      logger.error({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown took too long: exiting');
      process.exit(1);
    }, timeoutMs + 2_000).unref();
    close().then(
      () => {
        logger.info({}, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
}

/** Anything with BullMQ's `close(force)`: workers wait for active jobs unless forced. */
export interface Closable {
  close(force?: boolean): Promise<void>;
}

/**
 * Lets a worker finish its active jobs, then forces it closed: BullMQ's close waits with no
 * deadline, and a forced close hands the remaining jobs back to the queue as stalled.
 */
export async function closeWithDeadline(closable: Closable, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const result = await Promise.race([closable.close().then(() => 'closed' as const), deadline]);
  clearTimeout(timer);
  if (result === 'timeout') await closable.close(true);
}
