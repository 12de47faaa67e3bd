import { CostLedger, loadBudgetLimits } from '@agentops/budget';
import { ConfirmationStore } from '@agentops/confirmations';
import { contractsDir, loadContracts } from '@agentops/contracts';
import {
  CommonEnv,
  ConfigError,
  closeRedis,
  closeWithDeadline,
  createWorkerConnection,
  envInt,
  envString,
  HealthEnv,
  handleShutdown,
  loadEnv,
  QUEUES,
  startHealthServer,
  type UsageEvent,
} from '@agentops/core';
import { EscalationPublisher } from '@agentops/escalations';
import { AgentGuard } from '@agentops/guard';
import {
  createModelProviders,
  enabledModels,
  ProviderEnv,
  providerSettingsFromEnv,
  traceModelProviders,
} from '@agentops/llm';
import { CostAwareRouter } from '@agentops/routing';
import { SessionStore } from '@agentops/sessions';
import { createLogger, logReady, protectInLogs, startTelemetry, withPublishSpan } from '@agentops/telemetry';
import { createTurnJobProcessor, endFailedTurnJob, TurnEngine } from '@agentops/turn-engine';
import { Queue, Worker } from 'bullmq';

const env = loadEnv(
  CommonEnv.extend({
    ...HealthEnv.shape,
    ROUTER_CONCURRENCY: envInt(16, { min: 1, max: 512 }),
    MAX_STEPS_PER_TURN: envInt(8, { min: 1, max: 50 }),
    MODEL_TIMEOUT_MS: envInt(60_000, { min: 100 }),
    MODEL_MAX_ATTEMPTS: envInt(3, { min: 1, max: 10 }),
    MODEL_RETRY_BASE_MS: envInt(500, { min: 0 }),
    MODEL_RETRY_MAX_DELAY_MS: envInt(20_000, { min: 0 }),
    SIM_LATENCY_MS: envInt(0, { min: 0 }),
    SIM_CHAOS_PERCENT: envInt(0, { min: 0, max: 100 }),
    SIM_CHAOS_SEED: envInt(1, { min: 1 }),
    TURN_PARK_MS: envInt(5_000, { min: 50 }),
    TURN_LOCK_MS: envInt(30_000, { min: 1_000 }),
    CONTRACTS_DIR: envString('').optional(),
  }).extend(ProviderEnv.shape),
);
const logger = createLogger('router', env.LOG_LEVEL);
const telemetry = startTelemetry({
  service: 'router',
  redisUrl: env.REDIS_URL,
  prefix: env.REDIS_PREFIX,
  sessionTtlSeconds: env.SESSION_TTL_SECONDS,
  logger,
});
const contracts = loadContracts(contractsDir(env.CONTRACTS_DIR));
const connection = createWorkerConnection(env.REDIS_URL, 'router');
const prefix = env.REDIS_PREFIX;
protectInLogs([...contracts.agents.values()].map((agent) => agent.system_prompt));
const guard = new AgentGuard({ redis: connection, prefix, logger, agents: contracts.agents });

const sessions = new SessionStore(connection, prefix, env.SESSION_TTL_SECONDS);
const confirmations = new ConfirmationStore(connection, prefix, env.SESSION_TTL_SECONDS);
const turnsQueue = new Queue(QUEUES.turns, { connection, prefix });
const usageQueue = new Queue(QUEUES.usage, { connection, prefix });
const escalationsQueue = new Queue(QUEUES.escalations, { connection, prefix });
const toolQueues = new Map<string, Queue>();
const toolQueue = (name: string) => {
  let queue = toolQueues.get(name);
  if (!queue) {
    queue = new Queue(name, { connection, prefix });
    toolQueues.set(name, queue);
  }
  return queue;
};

const providers = traceModelProviders(
  createModelProviders(
    providerSettingsFromEnv(env, {
      simLatencyMs: env.SIM_LATENCY_MS,
      simChaosRate: env.SIM_CHAOS_PERCENT / 100,
      simChaosSeed: env.SIM_CHAOS_SEED,
      timeoutMs: env.MODEL_TIMEOUT_MS,
    }),
  ),
);
const models = enabledModels(contracts.models, providers);
const limits = loadBudgetLimits(contractsDir(env.CONTRACTS_DIR));
const cheapestModel = [...models].sort((a, b) => a.input_usd_per_mtok - b.input_usd_per_mtok)[0];
if (!cheapestModel)
  throw new ConfigError('no model is enabled: check contracts/models.yaml and the provider keys');
const engine = new TurnEngine({
  sessions,
  confirmations,
  contracts,
  escalations: new EscalationPublisher(escalationsQueue, sessions),
  chooser: new CostAwareRouter(models),
  ledger: new CostLedger(connection, prefix, limits, env.SESSION_TTL_SECONDS),
  budget: { sessionTokens: limits.sessionTokens, warningRatio: limits.warningRatio },
  summaryModel: cheapestModel,
  providers,
  publishUsage: async (event: UsageEvent) => {
    const name = `${event.sessionId}/${event.model}`;
    await withPublishSpan(QUEUES.usage, name, {}, (trace) =>
      usageQueue.add(
        name,
        { ...event, trace },
        {
          jobId: event.eventId,
          removeOnComplete: { age: 3_600, count: 10_000 },
          removeOnFail: { age: 7 * 24 * 3_600 },
          attempts: 5,
          backoff: { type: 'exponential', delay: 1_000 },
        },
      ),
    );
  },
  formatToolResult: guard.formatToolResult,
  guard,
  logger,
  settings: {
    maxStepsPerTurn: env.MAX_STEPS_PER_TURN,
    modelTimeoutMs: env.MODEL_TIMEOUT_MS,
    modelRetry: {
      maxAttempts: env.MODEL_MAX_ATTEMPTS,
      baseDelayMs: env.MODEL_RETRY_BASE_MS,
      maxDelayMs: env.MODEL_RETRY_MAX_DELAY_MS,
    },
  },
});

const turnLockMs = env.TURN_LOCK_MS;
const jobDeps = { engine, sessions, turnsQueue, toolQueue, logger, parkMs: env.TURN_PARK_MS };
const worker = new Worker(QUEUES.turns, createTurnJobProcessor(jobDeps), {
  connection: createWorkerConnection(env.REDIS_URL, 'router-worker'),
  prefix,
  concurrency: env.ROUTER_CONCURRENCY,
  // A step holds its lock while the model answers; the worker renews it at half its duration,
  // and a dead router's turns are picked up again within about two lock durations.
  lockDuration: turnLockMs,
  stalledInterval: turnLockMs,
  maxStalledCount: 3,
});
worker.on('failed', (job, error) => {
  logger.warn({ jobId: job?.id, err: error }, 'turn job attempt failed');
  endFailedTurnJob(jobDeps, job, error).catch((err: unknown) =>
    logger.error({ err }, 'could not end a failed turn'),
  );
});
worker.on('error', (error) => logger.error({ err: error }, 'router worker error'));
worker.on('ready', () =>
  logReady(logger, {
    concurrency: env.ROUTER_CONCURRENCY,
    tools: contracts.tools.size,
    providers: [...providers.keys()],
    models: models.map((model) => model.id),
  }),
);

const health = startHealthServer(env, logger, {
  redis: () => connection.status === 'ready',
  worker: () => worker.isRunning(),
});

handleShutdown(logger, env.SHUTDOWN_TIMEOUT_MS, async () => {
  await closeWithDeadline(worker, env.SHUTDOWN_TIMEOUT_MS);
  await Promise.all(
    [turnsQueue, usageQueue, escalationsQueue, ...toolQueues.values()].map((queue) => queue.close()),
  );
  await telemetry.shutdown();
  await closeRedis(connection);
  await health?.close();
});
