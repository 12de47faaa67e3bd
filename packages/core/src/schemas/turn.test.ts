import { describe, expect, it } from 'vitest';
import { type HistoryMessage, toPublicMessages } from './messages.ts';
import { isTerminal, PublicTurn, TERMINAL_TURN_STATUSES, TurnRecord, TurnStatus } from './turn.ts';

const at = '2025-01-01T00:00:00.000Z';

const storedTurn = {
  turnId: 'turn_1',
  sessionId: 'ses_1',
  tenant: 'default',
  status: 'waiting_tool',
  message: 'Where is A1001?',
  createdAt: at,
  step: 1,
  usage: { inputTokens: 300, outputTokens: 20, costMicros: 320 },
  toolCalls: [],
  routing: [{ step: 1, model: 'sim-small', tier: 'small', reason: 'cheapest adequate' }],
  pending: [
    {
      call: { id: 'call_1', name: 'get_order_status', arguments: { order_id: 'A1001' } },
      jobId: 'job_1',
      queue: 'tool.get_order_status',
    },
  ],
};

describe('turn status', () => {
  it('treats completed, escalated and failed as the end of a turn', () => {
    expect(TERMINAL_TURN_STATUSES).toEqual(['completed', 'escalated', 'failed']);
    for (const status of TurnStatus.options) {
      expect(isTerminal(status)).toBe(['completed', 'escalated', 'failed'].includes(status));
    }
  });
});

describe('TurnRecord', () => {
  it('round-trips a stored turn with its pending tool calls', () => {
    expect(TurnRecord.parse(JSON.parse(JSON.stringify(storedTurn)))).toEqual(storedTurn);
  });

  it('rejects usage counted in fractional micro-dollars', () => {
    const turn = { ...storedTurn, usage: { ...storedTurn.usage, costMicros: 1.5 } };
    expect(TurnRecord.safeParse(turn).success).toBe(false);
  });

  it('rejects an unknown status', () => {
    expect(TurnRecord.safeParse({ ...storedTurn, status: 'paused' }).success).toBe(false);
  });
});

describe('PublicTurn', () => {
  it('drops the internals of a stored turn (tenant, prompt message, pending calls, routing)', () => {
    const view = PublicTurn.parse({
      ...storedTurn,
      usage: { inputTokens: 300, outputTokens: 20, costUsd: 0.00032 },
    });
    expect(Object.keys(view).sort()).toEqual([
      'createdAt',
      'sessionId',
      'status',
      'toolCalls',
      'turnId',
      'usage',
    ]);
  });

  it('requires cost in dollars, not micro-dollars', () => {
    expect(PublicTurn.safeParse({ ...storedTurn }).success).toBe(false);
  });
});

describe('toPublicMessages', () => {
  const history: HistoryMessage[] = [
    { role: 'user', content: 'Where is A1001?', turnId: 'turn_1', at },
    {
      role: 'assistant',
      content: '',
      turnId: 'turn_1',
      at,
      toolCalls: [{ id: 'call_1', name: 'get_order_status', arguments: { order_id: 'A1001' } }],
    },
    {
      role: 'tool',
      turnId: 'turn_1',
      at,
      toolCallId: 'call_1',
      tool: 'get_order_status',
      result: { status: 'success', data: { status: 'shipped' }, retry_safe: false, message: 'ok' },
    },
    { role: 'assistant', content: 'Order A1001 is shipped.', turnId: 'turn_1', at },
    { role: 'notice', content: 'A person has joined.', at },
    { role: 'agent', content: 'Hi, Sam here.', at, agentName: 'Sam' },
  ];

  it('shows the conversation without tool traffic or empty tool-calling steps', () => {
    expect(toPublicMessages(history)).toEqual([
      { role: 'user', content: 'Where is A1001?', turnId: 'turn_1', at },
      { role: 'assistant', content: 'Order A1001 is shipped.', turnId: 'turn_1', at },
      { role: 'notice', content: 'A person has joined.', at },
      { role: 'agent', content: 'Hi, Sam here.', at },
    ]);
  });

  it('never exposes tool results or arguments', () => {
    const text = JSON.stringify(toPublicMessages(history));
    expect(text).not.toContain('get_order_status');
    expect(text).not.toContain('call_1');
  });
});
