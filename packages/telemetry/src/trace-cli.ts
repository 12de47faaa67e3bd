/**
 * `npm run trace -- SESSION_ID [--json]`: prints a session's trace tree, as
 * `GET /v1/sessions/:id/trace` serves it, straight from Redis (REDIS_URL, REDIS_PREFIX), for an
 * operator on a machine that reaches Redis but holds no API key.
 */
import { CommonEnv, closeRedis, createCommandConnection, loadEnv } from '@agentops/core';
import { SessionTraceStore } from './session-trace-store.ts';
import { buildSessionTrace } from './trace-tree.ts';

const args = process.argv.slice(2);
const sessionId = args.find((arg) => !arg.startsWith('--'));
if (!sessionId) {
  process.stderr.write('usage: npm run trace -- SESSION_ID [--json]\n');
  process.exit(2);
}

const env = loadEnv(CommonEnv.pick({ REDIS_URL: true, REDIS_PREFIX: true }));
const redis = createCommandConnection(env.REDIS_URL, 'trace-cli');
redis.on('error', () => undefined);
try {
  const spans = await new SessionTraceStore(redis, env.REDIS_PREFIX).spans(sessionId);
  if (spans.length === 0) {
    process.stderr.write(
      `no spans for ${sessionId} under the prefix "${env.REDIS_PREFIX}" (unknown or expired session, or another REDIS_PREFIX)\n`,
    );
    process.exitCode = 1;
  } else {
    const trace = buildSessionTrace(sessionId, spans);
    process.stdout.write(args.includes('--json') ? `${JSON.stringify(trace, null, 2)}\n` : `${trace.text}\n`);
  }
} catch (error) {
  process.stderr.write(`could not read the trace: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await closeRedis(redis);
}
