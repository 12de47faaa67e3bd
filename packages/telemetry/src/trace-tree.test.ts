import { describe, expect, it } from 'vitest';
import type { StoredSpan } from './session-trace-store.ts';
import { buildSessionTrace, formatUsd } from './trace-tree.ts';

let clock = 1_790_000_000_000;
function span(
  name: string,
  fields: Partial<StoredSpan> & { attributes?: StoredSpan['attributes'] } = {},
): StoredSpan {
  clock += 10;
  return {
    traceId: 'a'.repeat(32),
    spanId: `s${clock}`,
    name,
    kind: 'internal',
    service: 'router',
    startAt: new Date(clock).toISOString(),
    startMs: clock,
    durationMs: 1,
    status: 'unset',
    ...fields,
    attributes: { 'session.id': 'session_a3f7b2', 'turn.id': 'turn_1', ...fields.attributes },
  };
}

describe('the session trace tree', () => {
  it('draws a turn like the example of API.md, leaving the queue and HTTP plumbing out of the text', () => {
    const request = span('POST /v1/sessions/:sessionId/turns', { kind: 'server', service: 'api' });
    const run = span('turns process', { kind: 'consumer', parentSpanId: request.spanId });
    const spans: StoredSpan[] = [
      request,
      run,
      span('llm.completion', {
        parentSpanId: run.spanId,
        durationMs: 423,
        attributes: {
          'gen_ai.request.model': 'sim-large',
          'gen_ai.usage.input_tokens': 1_500,
          'gen_ai.usage.output_tokens': 347,
          'llm.cost_usd': 0.0184,
        },
      }),
      span('tool.get_order_status', {
        parentSpanId: run.spanId,
        durationMs: 88,
        attributes: { 'tool.name': 'get_order_status', 'tool.status': 'success', 'tool.attempt': 1 },
      }),
    ];
    const failed = span('tool.get_order_status', {
      parentSpanId: run.spanId,
      durationMs: 5_012,
      status: 'error',
      attributes: {
        'tool.name': 'get_order_status',
        'tool.status': 'error',
        'tool.error_type': 'transient',
        'tool.attempt': 1,
        'tool.retry_scheduled': true,
      },
    });
    spans.push(
      failed,
      span('breaker.transition', {
        parentSpanId: failed.spanId,
        attributes: {
          'breaker.scope': 'tool',
          'breaker.key': 'get_order_status',
          'breaker.transition': 'opened',
        },
      }),
      span('tool.get_order_status', {
        parentSpanId: run.spanId,
        durationMs: 0,
        attributes: {
          'tool.name': 'get_order_status',
          'tool.status': 'error',
          'tool.error_type': 'circuit_open',
        },
      }),
      span('budget.settle', { parentSpanId: run.spanId }),
      span('llm.completion', {
        parentSpanId: run.spanId,
        durationMs: 312,
        attributes: {
          'gen_ai.request.model': 'sim-small',
          'gen_ai.usage.input_tokens': 600,
          'gen_ai.usage.output_tokens': 24,
          'llm.cost_usd': 0.0062,
        },
      }),
      span('turn.completed', {
        parentSpanId: run.spanId,
        attributes: {
          'turn.status': 'completed',
          'turn.input_tokens': 2_100,
          'turn.output_tokens': 371,
          'turn.cost_usd': 0.0246,
        },
      }),
    );

    const trace = buildSessionTrace('session_a3f7b2', spans.reverse());

    expect(trace.text).toBe(
      [
        'Trace: session_a3f7b2',
        `└── turn turn_1 (trace ${'a'.repeat(32)})`,
        '    ├── llm.completion [423ms, 1,847 tokens, $0.0184] sim-large',
        '    ├── tool.get_order_status [88ms, success]',
        '    ├── tool.get_order_status [5,012ms, transient error] → retry #1',
        '    │   └── breaker.transition [tool get_order_status: opened]',
        '    ├── tool.get_order_status [circuit open]',
        '    ├── llm.completion [312ms, 624 tokens, $0.0062] sim-small',
        '    └── turn.completed [2,471 tokens total, $0.0246 total]',
      ].join('\n'),
    );
    expect(trace.traceId).toBe('a'.repeat(32));
    expect(trace.turns).toEqual([{ turnId: 'turn_1', traceId: 'a'.repeat(32) }]);
    expect(trace.spans).toHaveLength(spans.length);
    expect(trace.spans[0]?.name).toBe('POST /v1/sessions/:sessionId/turns');
  });

  it('gives each turn its own branch, in order, and names the latest trace', () => {
    const first = span('turn.completed', {
      traceId: '1'.repeat(32),
      attributes: { 'turn.id': 'turn_1', 'turn.status': 'completed', 'turn.cost_usd': 0.001 },
    });
    const second = span('turn.escalated', {
      traceId: '2'.repeat(32),
      attributes: { 'turn.id': 'turn_2', 'turn.status': 'escalated', 'turn.cost_usd': 0 },
    });
    const trace = buildSessionTrace('ses_x', [second, first]);
    expect(trace.traceId).toBe('2'.repeat(32));
    expect(trace.text.split('\n')).toEqual([
      'Trace: ses_x',
      `├── turn turn_1 (trace ${'1'.repeat(32)})`,
      '│   └── turn.completed [0 tokens total, $0.0010 total]',
      `└── turn turn_2 (trace ${'2'.repeat(32)})`,
      '    └── turn.escalated [0 tokens total, $0 total]',
    ]);
  });

  it('says so when a session has no spans yet', () => {
    const trace = buildSessionTrace('ses_new', []);
    expect(trace).toMatchObject({ traceId: null, turns: [], spans: [] });
    expect(trace.text).toBe('Trace: ses_new\n└── (no spans yet)');
  });

  it('writes dollars like API.md, keeping the digits of small amounts', () => {
    expect(formatUsd(0.0184)).toBe('$0.0184');
    expect(formatUsd(0.00068)).toBe('$0.00068');
    expect(formatUsd(0.0000412)).toBe('$0.000041');
    expect(formatUsd(0)).toBe('$0');
  });
});
