import { ApiClient, type Turn } from '@agentops/client';
import { type FaultMix, pickFault } from './fault-mix.ts';

export interface LoadOptions {
  apiUrl: string;
  apiKey: string;
  sessions: number;
  turnsPerSession: number;
  /** Sessions driven at once; each sends its turns one after another, like a person would. */
  concurrency: number;
  faults: FaultMix;
  /** A turn not ended by then counts as lost. */
  turnDeadlineMs?: number;
}

export interface LoadReport {
  turns: number;
  completed: number;
  escalated: number;
  failed: number;
  /** Accepted turns that never ended, or requests refused with a 5xx: must be 0. */
  lost: number;
  /** Turns the API refused with 429/503 (backpressure), which a client retries later. */
  refused: number;
  latencyMs: { p50: number; p99: number; max: number };
  costUsd: { total: number; perTurnP50: number; perTurnP99: number };
  byFault: Record<string, { turns: number; completed: number; escalated: number; failed: number }>;
  seconds: number;
  turnsPerSecond: number;
}

/** Drives a running platform through its REST API with a mix of healthy and faulty orders. */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const client = new ApiClient(options.apiUrl, options.apiKey);
  const deadline = options.turnDeadlineMs ?? 120_000;
  const latencies: number[] = [];
  const costs: number[] = [];
  const counts = { completed: 0, escalated: 0, failed: 0, lost: 0, refused: 0 };
  const byFault: LoadReport['byFault'] = {};
  const started = performance.now();
  let nextSession = 0;

  const runSession = async (index: number) => {
    const session = await client.createSession({
      userId: `load-user-${index % 97}`,
      metadata: { load: true },
    });
    for (let turn = 0; turn < options.turnsPerSession; turn++) {
      const fault = pickFault(options.faults, Math.random());
      const orderId = `${fault}${1000 + Math.floor(Math.random() * 9000)}`;
      const stats = byFault[fault] ?? { turns: 0, completed: 0, escalated: 0, failed: 0 };
      byFault[fault] = stats;
      stats.turns++;
      const sentAt = performance.now();
      const ended = await sendTurn(client, session.sessionId, `Where is my order ${orderId}?`, deadline);
      if (ended === 'refused') {
        counts.refused++;
        continue;
      }
      if (ended === 'lost') {
        counts.lost++;
        continue;
      }
      latencies.push(performance.now() - sentAt);
      costs.push(ended.usage?.costUsd ?? 0);
      const status = ended.status as 'completed' | 'escalated' | 'failed';
      counts[status]++;
      stats[status]++;
    }
  };

  const worker = async () => {
    for (;;) {
      const index = nextSession++;
      if (index >= options.sessions) return;
      try {
        await runSession(index);
      } catch {
        counts.lost += options.turnsPerSession;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));

  const seconds = (performance.now() - started) / 1000;
  const turns = options.sessions * options.turnsPerSession;
  return {
    turns,
    ...counts,
    latencyMs: {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(0, ...latencies),
    },
    costUsd: {
      total: round(costs.reduce((sum, cost) => sum + cost, 0)),
      perTurnP50: percentile(costs, 50),
      perTurnP99: percentile(costs, 99),
    },
    byFault,
    seconds: round(seconds, 1),
    turnsPerSecond: round((counts.completed + counts.escalated + counts.failed) / seconds, 1),
  };
}

async function sendTurn(
  client: ApiClient,
  sessionId: string,
  message: string,
  deadlineMs: number,
): Promise<Turn | 'lost' | 'refused'> {
  const response = await client.request<Turn>('POST', `/v1/sessions/${sessionId}/turns?wait=30`, {
    body: { message },
  });
  if (response.status === 429 || response.status === 503) return 'refused';
  if (response.status >= 400) return 'lost';
  let turn = response.body;
  const endBy = Date.now() + deadlineMs;
  while (!['completed', 'escalated', 'failed'].includes(turn.status)) {
    if (turn.status === 'waiting_confirmation') {
      turn = await client.decideConfirmation(sessionId, turn.confirmation?.confirmationId ?? '', false, {
        wait: 30,
      });
      continue;
    }
    if (Date.now() > endBy) return 'lost';
    turn = await client.getTurn(sessionId, turn.turnId, { wait: 10 });
  }
  return turn;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return round(value, value < 1 ? 6 : 1);
}

function round(value: number, digits = 6): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
