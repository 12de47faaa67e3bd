import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from './platform.ts';

/**
 * kill -9 at each stage of a turn, then a restart: every accepted turn still ends, no reply is
 * shown twice, and a confirmed side effect reaches the backend exactly once. Locks are short here
 * (TURN_LOCK_MS, TOOL_LOCK_MS) so that stalled jobs are picked up within seconds.
 */
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({
    env: {
      TURN_LOCK_MS: '2000',
      TOOL_LOCK_MS: '2000',
      SIM_LATENCY_MS: '1500',
      DEMO_LATENCY_MS: '1500',
      DEMO_SIDE_EFFECT_DELAY_MS: '1500',
    },
  });
});
afterAll(async () => {
  await platform?.stop();
});

async function waitForStatus(sessionId: string, turnId: string, status: string) {
  for (let i = 0; i < 100; i++) {
    const turn = await platform.client.getTurn(sessionId, turnId);
    if (turn.status === status) return turn;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`turn ${turnId} never reached ${status}`);
}

async function expectEndedOnce(sessionId: string, turnId: string) {
  const ended = await platform.client.waitForTurnEnd(sessionId, turnId, 60_000);
  const view = await platform.client.getSession(sessionId);
  const ofTurn = view.messages.filter((message) => message.turnId === turnId);
  expect(ofTurn.filter((message) => message.role === 'user')).toHaveLength(1);
  expect(ofTurn.filter((message) => message.role !== 'user')).toHaveLength(1);
  return ended;
}

describe('crash safety', () => {
  it('finishes a turn whose router was killed during the model call', async () => {
    const session = await platform.client.createSession({ userId: 'crash-model' });
    const { body } = await platform.client.postTurn(session.sessionId, 'Hello, what can you do?');
    await waitForStatus(session.sessionId, body.turnId, 'running');
    await platform.killAndRestart('router');
    const ended = await expectEndedOnce(session.sessionId, body.turnId);
    expect(ended.status).toBe('completed');
  });

  it('finishes a turn whose tool worker was killed while the tool ran', async () => {
    const session = await platform.client.createSession({ userId: 'crash-tool' });
    const { body } = await platform.client.postTurn(session.sessionId, 'Where is my order A1001?');
    await waitForStatus(session.sessionId, body.turnId, 'waiting_tool');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await platform.killAndRestart('tool-worker');
    const ended = await expectEndedOnce(session.sessionId, body.turnId);
    expect(ended.status).toBe('completed');
    expect(ended.reply).toMatch(/A1001/);
  });

  it('runs a confirmed refund exactly once when the tool worker dies after the refund but before its job completes', async () => {
    await platform.resetDemoStats();
    const session = await platform.client.createSession({ userId: 'crash-refund' });
    const { body: waiting } = await platform.client.postTurn(session.sessionId, 'Please refund order A1002', {
      wait: 30,
    });
    expect(waiting.status).toBe('waiting_confirmation');
    await platform.client.decideConfirmation(
      session.sessionId,
      waiting.confirmation?.confirmationId ?? '',
      true,
    );
    for (let i = 0; i < 200 && (await platform.demoStats()).executed.refund === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await platform.killAndRestart('tool-worker');
    const ended = await expectEndedOnce(session.sessionId, waiting.turnId);
    expect(ended.status).toBe('completed');
    const stats = await platform.demoStats();
    expect(stats.executed.refund).toBe(1);
    expect(Object.values(stats.sideEffects).map((effect) => effect.requests)).toEqual([2]);
  });
});
