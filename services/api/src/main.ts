import { CostBreakers, CostLedger, loadBudgetLimits, UsageLedger } from '@agentops/budget';
import { ConfirmationStore } from '@agentops/confirmations';
import { contractsDir, loadContracts } from '@agentops/contracts';
import {
  CommonEnv,
  closeRedis,
  closeWithDeadline,
  createCommandConnection,
  createWorkerConnection,
  envInt,
  envString,
  handleShutdown,
  loadEnv,
  QUEUES,
  redisKeys,
  toolQueueName,
} from '@agentops/core';
import { createEscalationProcessor, EscalationDesk } from '@agentops/escalations';
import { AgentGuard } from '@agentops/guard';
import {
  ApiKeyRegistry,
  ApiKeysSetting,
  createApiApp,
  createApiServer,
  IdempotencyStore,
  KeyRateLimiter,
  SessionSignals,
} from '@agentops/rest';
import { SessionStore } from '@agentops/sessions';
import {
  AlertEvaluator,
  AlertStore,
  createLogger,
  loadAlertsConfig,
  logReady,
  MetricsReader,
  type MetricsSources,
  protectInLogs,
  SessionTraceStore,
  startTelemetry,
  takeMetricsSnapshot,
} from '@agentops/telemetry';
import { ToolGuards } from '@agentops/tools';
import { Queue, Worker } from 'bullmq';
import { z } from 'zod';
import { createBreakerBoard } from './breaker-board.ts';

const env = loadEnv(
  CommonEnv.extend({
    PORT: envInt(8080, { min: 0, max: 65_535 }),
    HOST: envString('127.0.0.1'),
    API_KEYS: ApiKeysSetting,
    MAX_QUEUED_TURNS_PER_SESSION: envInt(8, { min: 1, max: 1_000 }),
    MAX_TURN_BACKLOG: envInt(10_000, { min: 1 }),
    IDEMPOTENCY_TTL_SECONDS: envInt(24 * 3_600, { min: 60 }),
    CONTRACTS_DIR: envString('').optional(),
    ESCALATION_TTL_SECONDS: envInt(7 * 24 * 3_600, { min: 60 }),
    ALERTS_FILE: envString('').optional(),
    ALERT_WEBHOOK_URL: z.preprocess((value) => (value === '' ? undefined : value), z.url().optional()),
    RATE_LIMIT_PER_KEY: envInt(6_000, { min: 0 }),
    RATE_LIMIT_WINDOW_SECONDS: envInt(60, { min: 1, max: 3_600 }),
    HTTP_HEADERS_TIMEOUT_MS: envInt(10_000, { min: 100, max: 120_000 }),
    HTTP_REQUEST_TIMEOUT_MS: envInt(30_000, { min: 100, max: 300_000 }),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: envInt(5_000, { min: 100, max: 120_000 }),
  }).refine((settings) => settings.HTTP_HEADERS_TIMEOUT_MS <= settings.HTTP_REQUEST_TIMEOUT_MS, {
    message: 'must not be longer than HTTP_REQUEST_TIMEOUT_MS',
    path: ['HTTP_HEADERS_TIMEOUT_MS'],
  }),
);
const logger = createLogger('api', env.LOG_LEVEL);
const telemetry = startTelemetry({
  service: 'api',
  redisUrl: env.REDIS_URL,
  prefix: env.REDIS_PREFIX,
  sessionTtlSeconds: env.SESSION_TTL_SECONDS,
  logger,
});
if (env.API_KEYS.length === 0) {
  logger.warn(
    {},
    'API_KEYS is empty: every request to /v1 will be refused (npm start makes development keys)',
  );
}
const contracts = loadContracts(contractsDir(env.CONTRACTS_DIR));
protectInLogs([...contracts.agents.values()].map((agent) => agent.system_prompt));
const limits = loadBudgetLimits(contractsDir(env.CONTRACTS_DIR));
const alertsConfig = loadAlertsConfig(
  env.ALERTS_FILE || new URL('alerts.yaml', contractsDir(env.CONTRACTS_DIR)),
);
const redis = createCommandConnection(env.REDIS_URL, 'api');
const queueConnection = createWorkerConnection(env.REDIS_URL, 'api-queues');
const prefix = env.REDIS_PREFIX;
const keys = redisKeys(prefix);
const turnsQueue = new Queue(QUEUES.turns, { connection: queueConnection, prefix });
const usageQueue = new Queue(QUEUES.usage, { connection: queueConnection, prefix });
const escalationsQueue = new Queue(QUEUES.escalations, { connection: queueConnection, prefix });
const desk = new EscalationDesk(redis, prefix, {
  escalationTtlSeconds: env.ESCALATION_TTL_SECONDS,
  sessionTtlSeconds: env.SESSION_TTL_SECONDS,
});
// The desk files what producers queue: the API serves the desk, so it also consumes its queue.
const escalationsConnection = createWorkerConnection(env.REDIS_URL, 'api-escalations');
const escalationsWorker = new Worker(QUEUES.escalations, createEscalationProcessor(desk, logger), {
  connection: escalationsConnection,
  prefix,
  concurrency: 4,
});
escalationsWorker.on('error', (error) => logger.error({ err: error }, 'escalations worker error'));
const toolQueues = [...contracts.tools.keys()].map(
  (tool) => new Queue(toolQueueName(tool), { connection: queueConnection, prefix }),
);
const queues = [turnsQueue, ...toolQueues, usageQueue, escalationsQueue];
const breakers = createBreakerBoard(
  new CostBreakers(redis, prefix),
  new ToolGuards(redis, prefix, { sessionTtlSeconds: env.SESSION_TTL_SECONDS, cacheTtlSeconds: 1 }),
  [...contracts.tools.keys()],
);
const metricsReader = new MetricsReader(redis, prefix, {
  fineBucketMs: telemetry.settings.METRICS_BUCKET_SECONDS * 1000,
});
const metricsSources: MetricsSources = {
  queues,
  breakers: () => breakers.list(),
  knownBreakers: [
    { scope: 'global', key: 'global' },
    ...[...contracts.tools.keys()].map((tool) => ({ scope: 'tool', key: tool })),
  ],
  // Waiting on the desk: filed and not yet claimed by a support agent.
  escalationsWaiting: () => redis.zcard(keys.escalationIndex('waiting')),
};
const snapshot = (nowMs: number) => takeMetricsSnapshot(metricsReader, metricsSources, alertsConfig, nowMs);
const alerts = new AlertStore(redis, prefix);
// Alerts are evaluated here, where the metrics are rendered from the same snapshot; replicas
// agree through Redis on who announces a change (see AlertStore.record).
const alertEvaluator = new AlertEvaluator({
  snapshot,
  store: alerts,
  config: alertsConfig,
  logger,
  ...(env.ALERT_WEBHOOK_URL ? { webhookUrl: env.ALERT_WEBHOOK_URL } : {}),
});
const signals = new SessionSignals(createWorkerConnection(env.REDIS_URL, 'api-signals'), keys.eventsChannel);

const app = createApiApp({
  redis,
  registry: new ApiKeyRegistry(env.API_KEYS),
  sessions: new SessionStore(redis, prefix, env.SESSION_TTL_SECONDS),
  confirmations: new ConfirmationStore(redis, prefix, env.SESSION_TTL_SECONDS),
  ledger: new UsageLedger(redis, prefix, env.SESSION_TTL_SECONDS),
  spend: new CostLedger(redis, prefix, limits, env.SESSION_TTL_SECONDS),
  breakers,
  desk,
  turnsQueue,
  idempotency: new IdempotencyStore(redis, keys, env.IDEMPOTENCY_TTL_SECONDS),
  signals,
  rateLimiter: new KeyRateLimiter(redis, prefix, {
    requests: env.RATE_LIMIT_PER_KEY,
    windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
  }),
  guard: new AgentGuard({ redis, prefix, logger, agents: contracts.agents }),
  agents: new Set(contracts.agents.keys()),
  requiredQueues: [turnsQueue, usageQueue, escalationsQueue],
  observability: { traces: new SessionTraceStore(redis, prefix), alerts, snapshot, queues },
  settings: {
    maxQueuedTurnsPerSession: env.MAX_QUEUED_TURNS_PER_SESSION,
    maxTurnBacklog: env.MAX_TURN_BACKLOG,
    sessionTokenLimit: limits.sessionTokens,
    sessionCostLimitMicros: limits.sessionMicros,
    defaultAgent: contracts.agents.has('support')
      ? 'support'
      : ([...contracts.agents.keys()][0] ?? 'support'),
  },
  logger,
});

await signals.start();
alertEvaluator.start();
const server = createApiServer(app, {
  headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
  requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
  keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
});
server.listen(env.PORT, env.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  logReady(logger, { port, host: env.HOST, keys: env.API_KEYS.length });
});
server.on('error', (error) => {
  logger.error({ err: error, port: env.PORT }, 'api could not listen');
  process.exit(1);
});

handleShutdown(logger, env.SHUTDOWN_TIMEOUT_MS, async () => {
  // Stop taking requests, let in-flight ones (including ?wait= holds) answer, then drop idle sockets.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = setTimeout(() => server.closeAllConnections(), Math.min(env.SHUTDOWN_TIMEOUT_MS, 31_000));
  await closed;
  clearTimeout(deadline);
  await alertEvaluator.stop();
  await closeWithDeadline(escalationsWorker, env.SHUTDOWN_TIMEOUT_MS);
  await Promise.all(queues.map((queue) => queue.close()));
  await telemetry.shutdown();
  await Promise.all([closeRedis(redis), closeRedis(queueConnection), closeRedis(escalationsConnection)]);
});
