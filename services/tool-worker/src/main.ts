import { ConfirmationStore } from '@agentops/confirmations';
import { contractsDir, loadContracts } from '@agentops/contracts';
import {
  CommonEnv,
  closeRedis,
  closeWithDeadline,
  createWorkerConnection,
  envInt,
  envString,
  envUrl,
  HealthEnv,
  handleShutdown,
  loadEnv,
  startHealthServer,
  toolQueueName,
} from '@agentops/core';
import { SessionStore } from '@agentops/sessions';
import { createLogger, logReady, protectInLogs, startTelemetry } from '@agentops/telemetry';
import {
  BUILTIN_TOOL_NAMES,
  contractBackoff,
  createToolJobProcessor,
  ToolExecutor,
  ToolGuards,
} from '@agentops/tools';
import { Queue, Worker } from 'bullmq';

const env = loadEnv(
  CommonEnv.extend({
    ...HealthEnv.shape,
    DEMO_BACKEND_URL: envUrl('http://127.0.0.1:8081'),
    TOOL_CACHE_SECONDS: envInt(300, { min: 0 }),
    TOOL_LOCK_MS: envInt(30_000, { min: 1_000 }),
    CONTRACTS_DIR: envString('').optional(),
  }),
);
const logger = createLogger('tool-worker', env.LOG_LEVEL);
const telemetry = startTelemetry({
  service: 'tool-worker',
  redisUrl: env.REDIS_URL,
  prefix: env.REDIS_PREFIX,
  sessionTtlSeconds: env.SESSION_TTL_SECONDS,
  logger,
});
const contracts = loadContracts(contractsDir(env.CONTRACTS_DIR));
protectInLogs([...contracts.agents.values()].map((agent) => agent.system_prompt));
const connection = createWorkerConnection(env.REDIS_URL, 'tool-worker');
const prefix = env.REDIS_PREFIX;

const executor = new ToolExecutor({
  contracts,
  sessions: new SessionStore(connection, prefix, env.SESSION_TTL_SECONDS),
  confirmations: new ConfirmationStore(connection, prefix, env.SESSION_TTL_SECONDS),
  guards: new ToolGuards(connection, prefix, {
    sessionTtlSeconds: env.SESSION_TTL_SECONDS,
    cacheTtlSeconds: Math.max(1, env.TOOL_CACHE_SECONDS),
  }),
  backendUrl: env.DEMO_BACKEND_URL,
});

const tools = [...contracts.tools.values()].filter((contract) => BUILTIN_TOOL_NAMES.includes(contract.name));
const queues = new Map(
  tools.map((contract) => [
    toolQueueName(contract.name),
    new Queue(toolQueueName(contract.name), { connection, prefix }),
  ]),
);
const processor = createToolJobProcessor({ executor, contracts, queues, logger });

// One queue and one worker per tool: each gets the rate limit and concurrency of its own contract.
const workers = tools.map((contract) => {
  const worker = new Worker(toolQueueName(contract.name), processor, {
    connection: createWorkerConnection(env.REDIS_URL, `tool-worker:${contract.name}`),
    prefix,
    concurrency: contract.concurrency,
    limiter: { max: contract.rate_limit.max, duration: contract.rate_limit.duration_ms },
    settings: { backoffStrategy: contractBackoff(contracts) },
    // Renewed at half its duration while the call runs; a dead worker's calls are retried within
    // about two lock durations (the backend dedups side effects by their confirmation id).
    lockDuration: env.TOOL_LOCK_MS,
    stalledInterval: env.TOOL_LOCK_MS,
    maxStalledCount: 2,
  });
  worker.on('error', (error) => logger.error({ tool: contract.name, err: error }, 'tool worker error'));
  return worker;
});
Promise.all(workers.map((worker) => worker.waitUntilReady())).then(
  () => logReady(logger, { tools: tools.map((t) => t.name), backend: env.DEMO_BACKEND_URL }),
  (error: unknown) => logger.error({ err: error }, 'tool workers could not start'),
);

const health = startHealthServer(env, logger, {
  redis: () => connection.status === 'ready',
  workers: () => workers.every((worker) => worker.isRunning()),
});

handleShutdown(logger, env.SHUTDOWN_TIMEOUT_MS, async () => {
  await Promise.all(workers.map((worker) => closeWithDeadline(worker, env.SHUTDOWN_TIMEOUT_MS)));
  await Promise.all([...queues.values()].map((queue) => queue.close()));
  await telemetry.shutdown();
  await closeRedis(connection);
  await health?.close();
});
