import {
  isTerminal,
  type ToolJobData,
  ToolResult,
  TurnJobData,
  turnJobName,
  turnJobOptions,
} from '@agentops/core';
import type { SessionStore, TurnState } from '@agentops/sessions';
import { type Logger, withJobSpan, withPublishSpan } from '@agentops/telemetry';
import { DelayedError, type Job, type Queue, WaitingChildrenError } from 'bullmq';
import { z } from 'zod';
import type { ChildOutcome, ToolChild, TurnEngine, TurnJobContext } from './turn-engine.ts';

const ChildValue = z.object({
  result: ToolResult,
  attempts: z.number(),
  latencyMs: z.number(),
  cached: z.boolean().optional(),
});

export interface TurnJobDeps {
  engine: TurnEngine;
  sessions: SessionStore;
  turnsQueue: Queue;
  toolQueue(name: string): Queue;
  logger: Logger;
  /**
   * How long a turn that is not its session's head waits before looking again. The head wakes it
   * directly when it ends; this is only the safety net for a wake-up lost in a crash.
   */
  parkMs: number;
}

/**
 * The router's processor for the `turns` queue. It enforces one turn at a time per session
 * (invariant 4): only the head of the session's inbox runs; any other turn parks itself as a
 * delayed job until the head ends and promotes it.
 */
export function createTurnJobProcessor(deps: TurnJobDeps) {
  const run = async (job: Job, token?: string): Promise<string> => {
    const parsed = TurnJobData.safeParse(job.data);
    if (!parsed.success) {
      deps.logger.warn({ jobId: job.id }, 'turn job with malformed data dropped');
      return 'malformed';
    }
    const { sessionId, turnId } = parsed.data;
    // The head, the turn and the session in one round trip; the engine starts from them.
    let loaded: TurnState | undefined = await deps.sessions.loadTurnState(sessionId, turnId);
    const { head, turn } = loaded;
    if (head !== null && head !== turnId) {
      if (!turn || isTerminal(turn.status)) return 'stale';
      await ensureTurnJob(deps, sessionId, head);
      await job.moveToDelayed(Date.now() + deps.parkMs, token);
      // The head may have ended between our check and the move; then nobody else will wake us.
      if ((await deps.sessions.inboxHead(sessionId)) === turnId) await job.promote().catch(() => undefined);
      throw new DelayedError();
    }

    const context = turnJobContext(deps, job);
    for (;;) {
      const outcome = await deps.engine.advance(turnId, context, loaded);
      loaded = undefined;
      if (outcome.kind === 'ended') {
        if (outcome.nextTurnId) await wakeTurn(deps, sessionId, outcome.nextTurnId);
        return 'ended';
      }
      if (outcome.kind === 'wait_until') {
        await job.moveToDelayed(outcome.atMs, token);
        // A decision that arrived between our check and the move found no delayed job to wake;
        // without this look it would wait until the confirmation expires.
        if (!(await deps.engine.isAwaitingDecision(turnId))) await job.promote().catch(() => undefined);
        throw new DelayedError();
      }
      if (token && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
      // The children finished before we could wait: go straight on with their results.
    }
  };
  // Each run of a turn's job is a span in the turn's trace, child of the API's publish span.
  return (job: Job, token?: string): Promise<string> => withJobSpan(job, () => run(job, token));
}

function turnJobContext(deps: TurnJobDeps, job: Job): TurnJobContext {
  return {
    async childOutcomes() {
      const values = await job.getChildrenValues();
      const outcomes = new Map<string, ChildOutcome>();
      for (const [key, value] of Object.entries(values)) {
        const parsed = ChildValue.safeParse(value);
        if (parsed.success) outcomes.set(key.slice(key.lastIndexOf(':') + 1), parsed.data);
      }
      return outcomes;
    },
    async fanOut(children: ToolChild[]) {
      await Promise.all(children.map((child) => addToolJob(deps, job, child)));
    },
  };
}

function addToolJob(deps: TurnJobDeps, parent: Job, child: ToolChild) {
  const name = `${child.data.sessionId}/${child.data.tool}`;
  return withPublishSpan(child.queue, name, {}, (trace) => {
    const data: ToolJobData = { ...child.data, trace };
    return deps.toolQueue(child.queue).add(name, data, toolJobOptions(parent, child));
  });
}

function toolJobOptions(parent: Job, child: ToolChild) {
  return {
    jobId: child.jobId,
    parent: { id: parent.id ?? '', queue: parent.queueQualifiedName },
    attempts: child.attempts,
    backoff: { type: 'contract' },
    // A tool job never fails on purpose (it completes with an error result); if one dies anyway,
    // the turn must go on rather than wait for ever (the stuck-parent trap).
    ignoreDependencyOnFailure: true,
    removeOnComplete: { age: 3_600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3_600 },
  };
}

/** For the worker's `failed` event: a turn whose job has no attempts left still ends. */
export async function endFailedTurnJob(deps: TurnJobDeps, job: Job | undefined, error: Error): Promise<void> {
  if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
  const parsed = TurnJobData.safeParse(job.data);
  if (!parsed.success) return;
  const next = await deps.engine.abandon(parsed.data.turnId, error.message);
  if (next) await wakeTurn(deps, parsed.data.sessionId, next);
}

/** Wakes a parked turn now instead of at the end of its park delay. */
async function wakeTurn(deps: TurnJobDeps, sessionId: string, turnId: string): Promise<void> {
  const next = await deps.turnsQueue.getJob(turnId);
  if (!next) {
    await ensureTurnJob(deps, sessionId, turnId);
    return;
  }
  if ((await next.getState()) === 'delayed') await next.promote().catch(() => undefined);
}

/** A head turn whose job vanished (an API that died between storing and enqueueing) gets one. */
async function ensureTurnJob(deps: TurnJobDeps, sessionId: string, turnId: string): Promise<void> {
  if (await deps.turnsQueue.getJob(turnId)) return;
  const turn = await deps.sessions.getTurn(turnId);
  if (!turn || isTerminal(turn.status)) return;
  deps.logger.warn({ sessionId, turnId }, 'turn had no job; re-enqueued');
  await deps.turnsQueue.add(turnJobName(sessionId, turnId), { sessionId, turnId }, turnJobOptions(turnId));
}
