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
    escalation: (id: string) => `${prefix}:escalation:${id}`,
    /** Every tenant's escalations in one status, scored by creation time (oldest first). */
    escalationIndex: (status: string) => `${prefix}:escalations:all:${status}`,
    /** One tenant's escalations in one status, scored by creation time (oldest first). */
    tenantEscalationIndex: (tenant: string, status: string) =>
      `${prefix}:escalations:tenant:${tenant}:${status}`,
    idempotency: (tenant: string, scope: string, keyHash: string) =>
      `${prefix}:idem:${tenant}:${scope}:${keyHash}`,
    /** Cost ledgers: `spent` and `reserved` micro-dollars (and `tokens` for a session) per scope window. */
    spendSession: (sessionId: string) => `${prefix}:spend:session:${sessionId}`,
    spendUserDay: (tenant: string, userId: string, day: string) =>
      `${prefix}:spend:user:${tenant}:${userId}:${day}`,
    spendGlobalHour: (hour: string) => `${prefix}:spend:global:${hour}`,
    spendReservation: (id: string) => `${prefix}:spend:reservation:${id}`,
    /** Usage as the budget service counted it from usage events (burn rate, reporting). */
    usageUserDay: (tenant: string, userId: string, day: string) =>
      `${prefix}:usage:user:${tenant}:${userId}:${day}`,
    usageGlobalHour: (hour: string) => `${prefix}:usage:global:${hour}`,
    costBreaker: (scope: 'session' | 'user' | 'global', key: string) =>
      `${prefix}:breaker:cost:${scope}:${key}`,
    /** Every open cost breaker, scored by when it closes by itself, for `GET /v1/breakers`. */
    costBreakerIndex: `${prefix}:breakers:cost`,
    /** The session's finished spans (JSON, oldest first), served as its trace. */
    sessionTrace: (id: string) => `${session(id)}:trace`,
    /** A rolling counter: one hash per series and label, one field per time bucket. */
    metricsRolling: (series: string, label: string) => `${prefix}:metrics:rolling:${series}:${label}`,
    /** The labels a rolling series has seen, so readers know which hashes to read. */
    metricsRollingLabels: (series: string) => `${prefix}:metrics:rolling:${series}`,
    /** Per-session samples (sorted sets keyed by session id) for duration and cost percentiles. */
    metricsSessions: (field: 'first' | 'seen' | 'duration' | 'cost') => `${prefix}:metrics:sessions:${field}`,
    /** All-time counters (a hash of counter name to value). */
    metricsTotals: `${prefix}:metrics:totals`,
    /** Alert states by alert id (a hash of JSON). */
    alerts: `${prefix}:alerts`,
    /**
     * Prompt-injection detections, all time: a hash of `<source>:<action>` (source `user` or
     * `tool`, action `logged`, `marked`, `stripped`, `blocked`) to a count, for the metrics layer.
     */
    injectionDetections: `${prefix}:security:injection-detections`,
    /** Replies and tool arguments withheld because they carried the system prompt: `<where>:<via>` to a count. */
    promptLeaks: `${prefix}:security:prompt-leaks`,
    /** One API key's request counts for the sliding-window rate limit (a hash; expires after two windows). */
    rateLimit: (keyId: string) => `${prefix}:rate-limit:${keyId}`,
    /** Pub/sub channel on which turn and session changes are announced to API processes. */
    eventsChannel: `${prefix}:events`,
  };
}
export type RedisKeys = ReturnType<typeof redisKeys>;

/**
 * The part of a key Redis Cluster hashes (the text between the first `{` and the next `}`, when
 * not empty), or undefined when the whole key is hashed. Every key shares the prefix's slot only
 * when the prefix holds such a tag.
 */
export function hashTagOf(prefix: string): string | undefined {
  const open = prefix.indexOf('{');
  if (open < 0) return undefined;
  const close = prefix.indexOf('}', open + 1);
  return close > open + 1 ? prefix.slice(open + 1, close) : undefined;
}
