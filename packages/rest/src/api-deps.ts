import type { UsageLedger } from '@agentops/budget';
import type { ConfirmationStore } from '@agentops/confirmations';
import type { RedisConnection, SessionRecord, TurnRecord } from '@agentops/core';
import type { EscalationDesk } from '@agentops/escalations';
import type { SessionStore } from '@agentops/sessions';
import type { AlertStore, Logger, MetricsSnapshot, SessionTraceStore } from '@agentops/telemetry';
import type { Queue } from 'bullmq';
import type { ApiKeyRegistry, Principal } from './api-keys.ts';
import type { BreakerBoard } from './breaker-board.ts';
import type { IdempotencyStore } from './idempotency.ts';
import { problems } from './problem.ts';
import type { KeyRateLimiter } from './rate-limit.ts';
import type { SessionSignals } from './session-signals.ts';

export interface ApiSettings {
  /** Turns one session may hold (running and queued) before new ones are refused with 429. */
  maxQueuedTurnsPerSession: number;
  /** Turns waiting in the `turns` queue before the API sheds load with 503. */
  maxTurnBacklog: number;
  sessionTokenLimit: number;
  sessionCostLimitMicros: number;
  defaultAgent: string;
}

/** What ops see: traces, metrics, alerts and the queues on Bull Board. */
export interface ObservabilityDeps {
  traces: SessionTraceStore;
  alerts: AlertStore;
  /** The metrics as of `nowMs`: the same snapshot the alert evaluator judges. */
  snapshot(nowMs: number): Promise<MetricsSnapshot>;
  /** Every queue of the platform: turns, each tool's, usage, escalations. */
  queues: Queue[];
}

export interface ApiDeps {
  redis: RedisConnection;
  registry: ApiKeyRegistry;
  sessions: SessionStore;
  confirmations: ConfirmationStore;
  ledger: UsageLedger;
  spend: { sessionSpend(sessionId: string): Promise<{ spentMicros: number; tokens: number }> };
  breakers: BreakerBoard;
  desk: EscalationDesk;
  turnsQueue: Queue;
  idempotency: IdempotencyStore;
  signals: SessionSignals;
  /** Per-key request limit (429 with Retry-After). */
  rateLimiter: KeyRateLimiter;
  /** Scores each user message for prompt injection and records a detection on the turn. */
  guard: { screenUserMessage(turn: TurnRecord): Promise<void> };
  agents: ReadonlySet<string>;
  /** Queues whose workers must be registered before /readyz says yes. */
  requiredQueues: Queue[];
  settings: ApiSettings;
  observability: ObservabilityDeps;
  logger: Logger;
}

/**
 * The session if the caller's tenant owns it. Another tenant's session is "not found", never
 * "forbidden", so that session ids cannot be probed (API.md).
 */
export async function ownedSession(
  deps: ApiDeps,
  principal: Principal,
  sessionId: string,
): Promise<SessionRecord> {
  const session = await deps.sessions.getSession(sessionId);
  if (!session || session.tenant !== principal.tenant) throw problems.notFound(`Session ${sessionId}`);
  return session;
}
