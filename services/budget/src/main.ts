import { CostBreakers, loadBudgetLimits, openBreakersAtLimit, UsageLedger } from '@agentops/budget';
import { contractsDir } from '@agentops/contracts';
import {
  CommonEnv,
  closeRedis,
  closeWithDeadline,
  createWorkerConnection,
  envString,
  HealthEnv,
  handleShutdown,
  loadEnv,
  QUEUES,
  startHealthServer,
  UsageEvent,
} from '@agentops/core';
import { createLogger, logReady, startTelemetry, withJobSpan } from '@agentops/telemetry';
import { Worker } from 'bullmq';

const env = loadEnv(CommonEnv.extend({ ...HealthEnv.shape, CONTRACTS_DIR: envString('').optional() }));
const logger = createLogger('budget', env.LOG_LEVEL);
const limits = loadBudgetLimits(contractsDir(env.CONTRACTS_DIR));
const telemetry = startTelemetry({
  service: 'budget',
  redisUrl: env.REDIS_URL,
  prefix: env.REDIS_PREFIX,
  sessionTtlSeconds: env.SESSION_TTL_SECONDS,
  logger,
});
const connection = createWorkerConnection(env.REDIS_URL, 'budget');
const ledger = new UsageLedger(connection, env.REDIS_PREFIX, env.SESSION_TTL_SECONDS);
const breakers = new CostBreakers(connection, env.REDIS_PREFIX);

const worker = new Worker(
  QUEUES.usage,
  (job) =>
    withJobSpan(job, async () => {
      const parsed = UsageEvent.safeParse(job.data);
      if (!parsed.success) {
        logger.warn({ jobId: job.id }, 'usage event with malformed data dropped');
        return 'malformed';
      }
      const usage = await ledger.record(parsed.data);
      if (!usage.counted) return 'duplicate';
      const opened = await openBreakersAtLimit(
        breakers,
        limits,
        env.SESSION_TTL_SECONDS * 1000,
        parsed.data,
        usage,
      );
      for (const opening of opened)
        logger.warn({ ...opening, sessionId: parsed.data.sessionId }, 'cost breaker opened');
      return 'counted';
    }),
  {
    connection: createWorkerConnection(env.REDIS_URL, 'budget-worker'),
    prefix: env.REDIS_PREFIX,
    concurrency: 32,
  },
);
worker.on('error', (error) => logger.error({ err: error }, 'budget worker error'));
worker.on('ready', () => logReady(logger, { limits }));

const health = startHealthServer(env, logger, {
  redis: () => connection.status === 'ready',
  worker: () => worker.isRunning(),
});

handleShutdown(logger, env.SHUTDOWN_TIMEOUT_MS, async () => {
  await closeWithDeadline(worker, env.SHUTDOWN_TIMEOUT_MS);
  await telemetry.shutdown();
  await closeRedis(connection);
  await health?.close();
});
