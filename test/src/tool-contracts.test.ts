import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

describe('side effects wait for a person', () => {
  it('holds a refund of A1002 for confirmation, with a summary built from the real arguments', async () => {
    await platform.resetDemoStats();
    const session = await platform.client.createSession({ userId: 'olga' });
    const { status, body: turn } = await platform.client.postTurn(
      session.sessionId,
      'Please refund order A1002',
      { wait: 20 },
    );
    expect(status).toBe(202);
    expect(turn.status).toBe('waiting_confirmation');
    expect(turn.confirmation).toMatchObject({
      tool: 'issue_refund',
      summary: 'Refund $49.99 for order A1002',
    });
    expect((await platform.demoStats()).executed.refund).toBe(0);
  });

  it('runs the refund once after approval, even when it is approved twice', async () => {
    await platform.resetDemoStats();
    const session = await platform.client.createSession({ userId: 'paul' });
    const { body: waiting } = await platform.client.postTurn(session.sessionId, 'Please refund order A1002', {
      wait: 20,
    });
    const confirmationId = waiting.confirmation?.confirmationId ?? '';

    const [first, second] = await Promise.all([
      platform.client.decideConfirmation(session.sessionId, confirmationId, true, { wait: 20 }),
      platform.client.decideConfirmation(session.sessionId, confirmationId, true, { wait: 20 }),
    ]);
    const ended = await platform.client.waitForTurnEnd(session.sessionId, waiting.turnId);
    expect(ended.status).toBe('completed');
    expect(ended.reply).toMatch(/refund/i);
    expect([first.turnId, second.turnId]).toEqual([waiting.turnId, waiting.turnId]);
    const stats = await platform.demoStats();
    expect(stats.executed.refund).toBe(1);
    // The confirmation id is the idempotency key the backend sees.
    expect(Object.keys(stats.sideEffects)).toEqual([confirmationId]);
  });

  it('never runs a declined refund, and tells the user so', async () => {
    await platform.resetDemoStats();
    const session = await platform.client.createSession({ userId: 'quinn' });
    const { body: waiting } = await platform.client.postTurn(session.sessionId, 'Please refund order A1002', {
      wait: 20,
    });
    const decided = await platform.client.decideConfirmation(
      session.sessionId,
      waiting.confirmation?.confirmationId ?? '',
      false,
      { wait: 20 },
    );
    expect(decided.status).toBe('completed');
    expect(decided.toolCalls).toEqual(
      expect.arrayContaining([expect.objectContaining({ tool: 'issue_refund', errorType: 'declined' })]),
    );
    expect((await platform.demoStats()).executed.refund).toBe(0);
    const late = await platform.client.request(
      'POST',
      `/v1/sessions/${session.sessionId}/confirmations/${waiting.confirmation?.confirmationId}`,
      { body: { approve: true } },
    );
    expect(late.status).toBe(409);
    expect((await platform.demoStats()).executed.refund).toBe(0);
  });

  it('withdraws a pending confirmation when the user writes something else instead', async () => {
    await platform.resetDemoStats();
    const session = await platform.client.createSession({ userId: 'rosa' });
    const { body: waiting } = await platform.client.postTurn(session.sessionId, 'Please refund order A1002', {
      wait: 20,
    });
    const { body: next } = await platform.client.postTurn(session.sessionId, 'Where is my order A1001?', {
      wait: 20,
    });
    expect(next.status).toBe('completed');
    const withdrawn = await platform.client.getTurn(session.sessionId, waiting.turnId);
    expect(withdrawn.status).toBe('completed');
    const late = await platform.client.request(
      'POST',
      `/v1/sessions/${session.sessionId}/confirmations/${waiting.confirmation?.confirmationId}`,
      { body: { approve: true } },
    );
    expect(late.status).toBe(409);
    expect((await platform.demoStats()).executed.refund).toBe(0);
  });

  it('does not offer a tool outside the tenant scopes: no confirmation, no refund', async () => {
    await platform.resetDemoStats();
    const readonly = platform.clientOf('readonly');
    const session = await readonly.createSession({ userId: 'sam' });
    const { body: turn } = await readonly.postTurn(session.sessionId, 'Please refund order A1002', {
      wait: 20,
    });
    expect(turn.status).not.toBe('waiting_confirmation');
    expect(turn.confirmation).toBeUndefined();
    expect((await platform.demoStats()).executed.refund).toBe(0);
  });
});

describe('rate limits and logs', () => {
  it('slows the tool queue on a 429 and then succeeds for an R order', async () => {
    await platform.resetDemoStats();
    const session = await platform.client.createSession({ userId: 'tara' });
    const { body: turn } = await platform.client.postTurn(session.sessionId, 'Where is my order R2001?', {
      wait: 30,
    });
    expect(turn.status).toBe('completed');
    expect(turn.reply).toMatch(/R2001/);
    expect(turn.toolCalls?.at(-1)).toMatchObject({ tool: 'get_order_status', status: 'success' });
    expect(turn.toolCalls?.[0]).toMatchObject({ errorType: 'rate_limit' });
    const slowed = platform.logs.filter(
      ({ service, line }) => service === 'tool-worker' && line.msg === 'tool queue slowed by the backend',
    );
    expect(slowed.length).toBeGreaterThan(0);
    expect(slowed[0]?.line).toMatchObject({ tool: 'get_order_status', retryAfterMs: 1000 });
  });

  it('logs one line per tool call with exactly the fields its contract lists', async () => {
    const session = await platform.client.createSession({ userId: 'uma' });
    await platform.client.postTurn(session.sessionId, 'Where is my order A1007?', { wait: 20 });
    const line = platform.logs.find(
      ({ line }) => line.msg === 'tool call finished' && line.session_id === session.sessionId,
    )?.line;
    expect(line).toBeDefined();
    expect(line).toMatchObject({
      'tool.name': 'get_order_status',
      'tool.status': 'success',
      'args.order_id': 'A1007',
      session_id: session.sessionId,
      attempt: 1,
    });
    expect(line).not.toHaveProperty('cache_hit');
  });
});
