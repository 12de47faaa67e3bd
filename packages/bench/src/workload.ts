import type { AgentUnderTest } from './agent-under-test.ts';

export type TurnKind = 'direct' | 'tool';

/**
 * Turns per conversation. A one-tool turn asks for a different order each time, so that no turn
 * is answered from the session's cache of idempotent results, and four is the order tool's
 * per-session call cap in its contract.
 */
export const TURNS_PER_SESSION = 4;

export interface PhaseOptions {
  kind: TurnKind;
  concurrency: number;
  turns: number;
  /** No new turn starts after this; the phase reports what it did by then. */
  maxSeconds: number;
  /** TURNS_PER_SESSION unless said otherwise. */
  turnsPerSession?: number;
}

export interface PhaseResult {
  turns: number;
  /** Turns that did not end as expected (not completed, or the tool not called). */
  failed: number;
  seconds: number;
  turnsPerSecond: number;
  latencyMs: { p50: number; p99: number; mean: number };
}

export function turnMessage(kind: TurnKind, session: number, turn: number): string {
  if (kind === 'direct') return 'Hello, what can you do?';
  return `Where is my order A${1000 + ((session * TURNS_PER_SESSION + turn) % 1000)}?`;
}

/**
 * Drives `concurrency` conversations at once, each sending its turns one after another, like
 * people would, until `turns` turns have ended or the time is up. Sessions are opened before the
 * clock starts; the latency of a turn is from sending it to its end.
 */
export async function runPhase(agent: AgentUnderTest, options: PhaseOptions): Promise<PhaseResult> {
  const perSession = options.turnsPerSession ?? TURNS_PER_SESSION;
  const sessionCount = Math.ceil(options.turns / perSession);
  const indexes = Array.from({ length: sessionCount }, () => nextSessionIndex++);
  const ids = await mapLimited(indexes, 16, (index) => withRetries(() => agent.openSession(index)));
  const sessions = ids.map((id, i) => ({ id, index: indexes[i] ?? i }));

  const latencies: number[] = [];
  let failed = 0;
  let started = 0;
  let nextSession = 0;
  const begin = performance.now();
  const deadline = begin + options.maxSeconds * 1000;

  const conversation = async () => {
    for (;;) {
      const session = sessions[nextSession++];
      if (!session) return;
      for (let turn = 0; turn < perSession; turn++) {
        if (started >= options.turns || performance.now() > deadline) return;
        started++;
        const sentAt = performance.now();
        const ok = await agent
          .turn(session.id, turnMessage(options.kind, session.index, turn), options.kind === 'tool')
          .catch(() => false);
        if (ok) latencies.push(performance.now() - sentAt);
        else failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, conversation));
  const seconds = (performance.now() - begin) / 1000;
  return {
    turns: latencies.length + failed,
    failed,
    seconds: round(seconds, 2),
    turnsPerSecond: round(latencies.length / seconds, 1),
    latencyMs: {
      p50: round(percentile(latencies, 50), 2),
      p99: round(percentile(latencies, 99), 2),
      mean: round(latencies.reduce((sum, value) => sum + value, 0) / Math.max(1, latencies.length), 2),
    },
  };
}

/**
 * A client may find its pooled keep-alive connection closed by the server the moment it reuses
 * it (an idle pause between phases); opening a session is not timed, so it is simply tried again.
 */
async function withRetries<T>(attempt: () => Promise<T>, attempts = 3): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (tried >= attempts) throw error;
    }
  }
}

/** Session numbers are unique across phases, so no two phases share a conversation. */
let nextSessionIndex = 0;

async function mapLimited<T, R>(items: T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < items.length; index = next++) {
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
