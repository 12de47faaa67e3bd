import { envInt, envString, handleShutdown, loadEnv } from '@agentops/core';
import { createLogger, logReady } from '@agentops/telemetry';
import { createDemoBackend } from '@agentops/tools';
import { z } from 'zod';

const env = loadEnv(
  z.object({
    PORT: envInt(8081, { min: 0, max: 65_535 }),
    HOST: envString('127.0.0.1'),
    LOG_LEVEL: envString('info'),
    DEMO_RATE_LIMITED_REQUESTS: envInt(2, { min: 0 }),
    DEMO_RETRY_AFTER_SECONDS: envInt(1, { min: 0 }),
    DEMO_LATENCY_MS: envInt(0, { min: 0 }),
    DEMO_SIDE_EFFECT_DELAY_MS: envInt(0, { min: 0 }),
  }),
);
const logger = createLogger('demo-backend', env.LOG_LEVEL);
const server = createDemoBackend({
  rateLimitedRequests: env.DEMO_RATE_LIMITED_REQUESTS,
  retryAfterSeconds: env.DEMO_RETRY_AFTER_SECONDS,
  latencyMs: env.DEMO_LATENCY_MS,
  sideEffectDelayMs: env.DEMO_SIDE_EFFECT_DELAY_MS,
});
server.listen(env.PORT, env.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  logReady(logger, { port, host: env.HOST });
});
server.on('error', (error) => {
  logger.error({ err: error, port: env.PORT }, 'demo backend could not start');
  process.exit(1);
});

handleShutdown(logger, 5_000, async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
