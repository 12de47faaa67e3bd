/** Queue names. One queue per tool gives each tool its own rate limit, concurrency and backoff. */
export const QUEUES = {
  turns: 'turns',
  usage: 'usage',
  escalations: 'escalations',
} as const;

export function toolQueueName(tool: string): string {
  return `tool.${tool}`;
}

/**
 * Options of a turn's job, shared by the API (which adds it) and the router (which re-adds it when
 * healing). The job id is the turn id, so adding it twice is a no-op.
 */
export function turnJobOptions(turnId: string) {
  return {
    jobId: turnId,
    attempts: 3,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: 3_600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3_600 },
  };
}

export function turnJobName(sessionId: string, turnId: string): string {
  return `${sessionId}/${turnId}`;
}
