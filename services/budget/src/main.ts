import { UsageLedger } from '@agentops/budget';
import {
  CommonEnv,
  closeRedis,
  closeWithDeadline,
  createWorkerConnection,
  handleShutdown,
  loadEnv,
  QUEUES,
  UsageEvent,
} from '@agentops/core';
import { createLogger } from '@agentops/telemetry';
import { Worker } from 'bullmq';

const env = loadEnv(CommonEnv);
const logger = createLogger('budget', env.LOG_LEVEL);
const connection = createWorkerConnection(env.REDIS_URL, 'budget');
const ledger = new UsageLedger(connection, env.REDIS_PREFIX, env.SESSION_TTL_SECONDS);

const worker = new Worker(
  QUEUES.usage,
  async (job) => {
    const parsed = UsageEvent.safeParse(job.data);
    if (!parsed.success) {
      logger.warn({ jobId: job.id }, 'usage event with malformed data dropped');
      return 'malformed';
    }
    const counted = await ledger.record(parsed.data);
    return counted ? 'counted' : 'duplicate';
  },
  {
    connection: createWorkerConnection(env.REDIS_URL, 'budget-worker'),
    prefix: env.REDIS_PREFIX,
    concurrency: 32,
  },
);
worker.on('error', (error) => logger.error({ err: error }, 'budget worker error'));
worker.on('ready', () => logger.info({}, 'ready'));

handleShutdown(logger, env.SHUTDOWN_TIMEOUT_MS, async () => {
  await closeWithDeadline(worker, env.SHUTDOWN_TIMEOUT_MS);
  await closeRedis(connection);
});
