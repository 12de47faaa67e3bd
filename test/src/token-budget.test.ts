import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({ env: { BUDGET_SESSION_TOKENS: '20000' } });
});
afterAll(async () => {
  await platform?.stop();
});

describe('the token budget', () => {
  it('summarises older turns at the mark, still answers about the first turn, and closes at the limit', async () => {
    const session = await platform.client.createSession({ userId: 'chatty' });
    const summarised = () =>
      platform.logs.some(
        ({ line }) => line.msg === 'older turns summarised' && line.sessionId === session.sessionId,
      );
    let order = 1001;
    await platform.client.postTurn(session.sessionId, `Where is my order A${order}?`, { wait: 30 });
    while (!summarised() && order < 1012) {
      order++;
      const { body } = await platform.client.postTurn(session.sessionId, `Where is my order A${order}?`, {
        wait: 30,
      });
      expect(body.status).toBe('completed');
    }
    expect(summarised()).toBe(true);

    const { body: recall } = await platform.client.postTurn(session.sessionId, 'What did I ask first?', {
      wait: 30,
    });
    expect(recall.reply).toMatch(/A1001/);

    let last = recall;
    for (let i = 0; i < 10 && last.status !== 'failed'; i++) {
      last = (await platform.client.postTurn(session.sessionId, 'Where is my order A1003?', { wait: 30 }))
        .body;
    }
    expect(last.status).toBe('failed');
    expect(last.reply).toMatch(/reached its limit/);
    const view = await platform.client.getSession(session.sessionId);
    expect(view.status).toBe('closed');
    expect(view.budget.tokensUsed).toBeGreaterThanOrEqual(20_000 * 0.75);
    const refused = await platform.client.request('POST', `/v1/sessions/${session.sessionId}/turns`, {
      body: { message: 'hello?' },
    });
    expect(refused.status).toBe(409);
  });
});
