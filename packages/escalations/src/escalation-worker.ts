import { EscalationRequest } from '@agentops/core';
import { withJobSpan } from '@agentops/telemetry';
import type { Job } from 'bullmq';
import type { EscalationDesk } from './escalation-desk.ts';

/** The logging the worker needs; pino's logger satisfies it. */
interface WorkerLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export type EscalationJobResult = 'filed' | 'duplicate' | 'malformed';

/**
 * The consumer of the `escalations` queue: files each request on the desk. Producers (the router,
 * the budget service) only ever add a job, so a desk that is down loses nothing: the jobs wait.
 * Filing is idempotent by escalation id, so a job delivered twice files one escalation.
 */
export function createEscalationProcessor(desk: EscalationDesk, logger: WorkerLogger) {
  const run = async (job: Job): Promise<EscalationJobResult> => {
    const parsed = EscalationRequest.safeParse(job.data);
    if (!parsed.success) {
      // A bad job can never succeed; retrying it would only delay the ones behind it.
      logger.warn({ jobId: job.id }, 'escalation request with malformed data dropped');
      return 'malformed';
    }
    const request = parsed.data;
    const filed = await desk.open(request);
    logger.info(
      {
        escalationId: request.escalationId,
        sessionId: request.sessionId,
        tenant: request.tenant,
        reason: request.reason,
        duplicate: !filed,
      },
      'escalation filed',
    );
    return filed ? 'filed' : 'duplicate';
  };
  // Filing is the last hop of the turn's trace that escalated it.
  return (job: Job): Promise<EscalationJobResult> => withJobSpan(job, () => run(job));
}
