import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from './platform.ts';

/**
 * The 2 a.m. incident: a tool times out, a naive model reads the timeout as "pending" and calls
 * it again, for ever. With the contract of get_order_status (2 s timeout, 2 attempts, 4 calls per
 * session, breaker at 3 failures), the platform must stop it within a bounded time and cost.
 */
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

const TIMEOUT_SECONDS = 2;
const MAX_ATTEMPTS = 2;
const MAX_CALLS = 4;

describe('the incident replay: "Where is my order T1001?" with the naive sim', () => {
  it('ends escalated, bounded in requests, time and money, and a second session fails fast', async () => {
    await platform.resetDemoStats();
    const session = await platform.client.createSession({ userId: 'night-shift' });
    const started = Date.now();
    const { body: turn } = await platform.client.postTurn(session.sessionId, 'Where is my order T1001?', {
      wait: 30,
    });
    const ended =
      turn.status === 'escalated'
        ? turn
        : await platform.client.waitForTurnEnd(session.sessionId, turn.turnId);
    const seconds = (Date.now() - started) / 1000;

    expect(ended.status).toBe('escalated');
    expect(ended.reply).toMatch(/support team/);
    expect(ended.reply).not.toMatch(/timeout|transient|error|T1001/i);
    expect(seconds).toBeLessThan(TIMEOUT_SECONDS * MAX_ATTEMPTS * MAX_CALLS + 10);
    const requests = (await platform.demoStats()).byOrder.T1001 ?? 0;
    expect(requests).toBeGreaterThan(0);
    expect(requests).toBeLessThanOrEqual(MAX_CALLS * MAX_ATTEMPTS);
    expect(ended.usage?.costUsd).toBeLessThan(0.05);

    const view = await platform.client.getSession(session.sessionId);
    expect(view.status).toBe('escalated');
    const escalations = new Queue('escalations', {
      connection: { url: platform.redisUrl },
      prefix: platform.prefix,
    });
    const jobs = await escalations.getJobs(['waiting', 'active', 'completed', 'delayed']);
    await escalations.close();
    const mine = jobs.filter((job) => job.data.sessionId === session.sessionId);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.data).toMatchObject({ reason: 'tool_failures' });

    // Meanwhile another customer asks about another order: the breaker is open, so the answer
    // comes without the backend being called at all.
    const before = (await platform.demoStats()).requests;
    const other = await platform.client.createSession({ userId: 'second-customer' });
    const { body: second } = await platform.client.postTurn(other.sessionId, 'Where is my order A1001?', {
      wait: 20,
    });
    expect(second.status).toBe('escalated');
    expect(second.toolCalls).toEqual([
      expect.objectContaining({ tool: 'get_order_status', errorType: 'circuit_open', attempts: 0 }),
    ]);
    expect((await platform.demoStats()).requests).toBe(before);
  });
});
