import type { ToolCall } from '@agentops/core';
import { HANDOFF_TOOL } from '@agentops/llm';
import { describe, expect, it } from 'vitest';
import { modelFailureOf, modelFailuresIn } from './model-failures.ts';

const tools = new Map([
  [
    'get_order_status',
    {
      input_schema: {
        type: 'object',
        properties: { order_id: { type: 'string', pattern: '^[A-Z][0-9]{4,}$' } },
        required: ['order_id'],
        additionalProperties: false,
      },
    },
  ],
  ['issue_refund', { input_schema: { type: 'object' } }],
]);
const offered = new Set(['get_order_status']);
const call = (name: string, args: Record<string, unknown>, invalidArguments?: string): ToolCall => ({
  id: `call_${name}`,
  name,
  arguments: args,
  ...(invalidArguments !== undefined ? { invalidArguments } : {}),
});
const step = (toolCalls: ToolCall[], stopReason: 'tool_use' | 'refusal' | 'end' = 'tool_use') => ({
  stopReason,
  toolCalls,
});

describe('a failed model step', () => {
  it('is a valid call to an offered tool: no failure', () => {
    expect(
      modelFailureOf(step([call('get_order_status', { order_id: 'A1001' })]), offered, tools),
    ).toBeUndefined();
    expect(modelFailureOf(step([call(HANDOFF_TOOL, { reason: 'asked' })]), offered, tools)).toBeUndefined();
  });

  it('is an invented tool, or one the assistant was not offered', () => {
    expect(modelFailureOf(step([call('delete_all_orders', {})]), offered, tools)).toBe('unknown_tool');
    expect(modelFailureOf(step([call('issue_refund', {})]), offered, tools)).toBe('unknown_tool');
  });

  it('is arguments that are not JSON, or that break the tool’s schema', () => {
    expect(modelFailureOf(step([call('get_order_status', {}, '{"order_id": "A1')]), offered, tools)).toBe(
      'invalid_arguments',
    );
    expect(modelFailureOf(step([call('get_order_status', { order_id: 42 })]), offered, tools)).toBe(
      'invalid_arguments',
    );
  });

  it('is a refusal', () => {
    expect(modelFailureOf(step([], 'refusal'), offered, tools)).toBe('refusal');
  });

  it('is counted once per step, from the decisions stored on the turn', () => {
    expect(
      modelFailuresIn({
        routing: [
          { step: 1, model: 'm', tier: 'small', reason: 'r', failure: 'unknown_tool' },
          { step: 2, model: 'm', tier: 'small', reason: 'r' },
          { step: 3, model: 'm', tier: 'small', reason: 'r', failure: 'invalid_arguments' },
        ],
      }),
    ).toBe(2);
  });
});
