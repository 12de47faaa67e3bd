import type { EscalationRequest } from '@agentops/core';
import type { SessionStore } from '@agentops/sessions';
import { ATTR, SPAN, withPublishSpan, withSpan } from '@agentops/telemetry';
import type { Queue } from 'bullmq';

/**
 * One escalation per turn at most: its id derives from the turn's, so a router that redoes a step
 * after a crash re-opens the same escalation instead of queueing a second one.
 */
export function escalationIdForTurn(turnId: string): string {
  return `esc_${turnId.replace(/^turn_/, '')}`;
}

/** Hands a session to people: marks it escalated and queues it for the support desk. */
export class EscalationPublisher {
  private readonly queue: Queue;
  private readonly sessions: SessionStore;

  constructor(queue: Queue, sessions: SessionStore) {
    this.queue = queue;
    this.sessions = sessions;
  }

  /** An `escalation` span in the turn's trace, with the hand-off to the queue inside it. */
  escalate(request: EscalationRequest): Promise<void> {
    return withSpan(
      SPAN.escalation,
      {
        [ATTR.escalationId]: request.escalationId,
        [ATTR.escalationReason]: request.reason,
        [ATTR.sessionId]: request.sessionId,
      },
      () => this.publish(request),
    );
  }

  private async publish(request: EscalationRequest): Promise<void> {
    await this.sessions.updateSession(request.sessionId, {
      fields: { status: 'escalated', escalationId: request.escalationId },
      events: [
        {
          type: 'session.escalated',
          escalationId: request.escalationId,
          reason: request.reason,
          at: request.createdAt,
        },
      ],
    });
    const name = `${request.sessionId}/${request.reason}`;
    await withPublishSpan(this.queue.name, name, {}, (trace) =>
      this.queue.add(
        name,
        { ...request, trace },
        {
          jobId: request.escalationId,
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
          attempts: 5,
          backoff: { type: 'exponential', delay: 1_000 },
        },
      ),
    );
  }
}
