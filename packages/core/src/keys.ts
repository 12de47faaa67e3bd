/**
 * The one place Redis keys are named. Every key starts with the configured prefix; a prefix in
 * braces (`{agentops}`) is a Redis Cluster hash tag that keeps all keys, and so every Lua
 * script's keys and every BullMQ flow, in one slot.
 */
export function redisKeys(prefix: string) {
  const session = (id: string) => `${prefix}:session:${id}`;
  return {
    prefix,
    session,
    sessionMessages: (id: string) => `${session(id)}:messages`,
    sessionInbox: (id: string) => `${session(id)}:inbox`,
    sessionEvents: (id: string) => `${session(id)}:events`,
    sessionUsage: (id: string) => `${session(id)}:usage`,
    sessionUsageEvents: (id: string) => `${session(id)}:usage-events`,
    sessionToolCalls: (id: string, tool: string) => `${session(id)}:tool-calls:${tool}`,
    sessionToolCache: (id: string, tool: string, argsHash: string) =>
      `${session(id)}:tool-cache:${tool}:${argsHash}`,
    turn: (id: string) => `${prefix}:turn:${id}`,
    confirmation: (id: string) => `${prefix}:confirmation:${id}`,
    toolBreaker: (tool: string) => `${prefix}:breaker:tool:${tool}`,
    toolBreakerFailures: (tool: string) => `${prefix}:breaker:tool:${tool}:failures`,
    toolAttempts: (jobId: string) => `${prefix}:tool-attempts:${jobId}`,
    idempotency: (tenant: string, scope: string, keyHash: string) =>
      `${prefix}:idem:${tenant}:${scope}:${keyHash}`,
    /** Pub/sub channel on which turn and session changes are announced to API processes. */
    eventsChannel: `${prefix}:events`,
  };
}
export type RedisKeys = ReturnType<typeof redisKeys>;
