import { describe, expect, it } from 'vitest';
import { SessionEvent } from './session-event.ts';
import { UsageEvent } from './usage-event.ts';

const at = '2025-01-01T00:00:00.000Z';

describe('SessionEvent', () => {
  it('accepts every kind of event a client can stream', () => {
    const events: unknown[] = [
      { type: 'turn.status', turnId: 'turn_1', status: 'completed', reply: 'Done.', at },
      { type: 'message', role: 'agent', content: 'Hi, I am Sam from support.', at },
      {
        type: 'confirmation.required',
        turnId: 'turn_1',
        confirmationId: 'conf_1',
        tool: 'issue_refund',
        summary: 'Refund $48 for order A1001',
        expiresAt: at,
        at,
      },
      { type: 'session.escalated', escalationId: 'esc_1', reason: 'user_request', at },
      { type: 'session.status', status: 'closed', at },
    ];
    for (const event of events) expect(SessionEvent.parse(event)).toEqual(event);
  });

  it('rejects an event of an unknown type', () => {
    expect(SessionEvent.safeParse({ type: 'turn.deleted', turnId: 'turn_1', at }).success).toBe(false);
  });

  it('rejects a turn status that does not exist', () => {
    expect(SessionEvent.safeParse({ type: 'turn.status', turnId: 't', status: 'done', at }).success).toBe(
      false,
    );
  });

  it('never streams a user or tool message as a message event', () => {
    expect(SessionEvent.safeParse({ type: 'message', role: 'tool', content: '{}', at }).success).toBe(false);
    expect(SessionEvent.safeParse({ type: 'message', role: 'user', content: 'hi', at }).success).toBe(false);
  });

  it('rejects an escalation with an unknown reason', () => {
    const event = { type: 'session.escalated', escalationId: 'esc_1', reason: 'bored', at };
    expect(SessionEvent.safeParse(event).success).toBe(false);
  });

  it('requires a confirmation event to say what the user is confirming', () => {
    const event = {
      type: 'confirmation.required',
      turnId: 't',
      confirmationId: 'c',
      tool: 'x',
      expiresAt: at,
      at,
    };
    expect(SessionEvent.safeParse(event).success).toBe(false);
  });
});

describe('UsageEvent', () => {
  const usage = {
    eventId: 'evt_1',
    sessionId: 'ses_1',
    turnId: 'turn_1',
    tenant: 'default',
    userId: 'user_1',
    model: 'sim-small',
    provider: 'sim',
    purpose: 'turn',
    inputTokens: 1200,
    outputTokens: 80,
    costMicros: 1280,
    latencyMs: 12.5,
    at,
  };

  it('accepts a model call’s usage, including summaries', () => {
    expect(UsageEvent.parse(usage)).toEqual(usage);
    expect(UsageEvent.parse({ ...usage, purpose: 'summary' }).purpose).toBe('summary');
  });

  it('counts money only in whole, non-negative micro-dollars', () => {
    expect(UsageEvent.safeParse({ ...usage, costMicros: 0.5 }).success).toBe(false);
    expect(UsageEvent.safeParse({ ...usage, costMicros: -1 }).success).toBe(false);
  });

  it('rejects negative or fractional token counts', () => {
    expect(UsageEvent.safeParse({ ...usage, inputTokens: -3 }).success).toBe(false);
    expect(UsageEvent.safeParse({ ...usage, outputTokens: 1.5 }).success).toBe(false);
  });

  it('rejects an event without an id, which the budget service needs to count it once', () => {
    const { eventId: _, ...withoutId } = usage;
    expect(UsageEvent.safeParse(withoutId).success).toBe(false);
  });

  it('rejects an unknown purpose', () => {
    expect(UsageEvent.safeParse({ ...usage, purpose: 'fallback' }).success).toBe(false);
  });
});
