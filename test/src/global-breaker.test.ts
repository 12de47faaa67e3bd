import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({ env: { BUDGET_GLOBAL_HOURLY_USD: '0.004' } });
});
afterAll(async () => {
  await platform?.stop();
});

describe('the global cost breaker', () => {
  it('opens at the hourly limit, makes the API answer 503 with Retry-After, and closes when ops reset it', async () => {
    const session = await platform.client.createSession({ userId: 'u-global' });
    let last = (await platform.client.postTurn(session.sessionId, 'Where is my order A1001?', { wait: 30 }))
      .body;
    for (let i = 0; i < 5 && last.status === 'completed'; i++) {
      last = (await platform.client.postTurn(session.sessionId, 'Where is my order A1002?', { wait: 30 }))
        .body;
    }
    expect(last.status).toBe('failed');
    expect(last.reply).toMatch(/try again/);

    const refused = await platform.client.request('POST', `/v1/sessions/${session.sessionId}/turns`, {
      body: { message: 'Where is my order A1003?' },
    });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    const ops = platform.clientOf('ops');
    const listed = await ops.request<{ breakers: { scope: string; key: string; state: string }[] }>(
      'GET',
      '/v1/breakers',
    );
    expect(listed.body.breakers).toEqual(
      expect.arrayContaining([expect.objectContaining({ scope: 'global', key: 'global', state: 'open' })]),
    );
    expect((await platform.client.request('GET', '/v1/breakers')).status).toBe(403);
    const reset = await ops.request('POST', '/v1/breakers/reset', {
      body: { scope: 'global', key: 'global' },
    });
    expect(reset.status).toBe(200);
    // The audit line travels through the api's stdout, a moment behind the HTTP answer.
    const audited = () =>
      platform.logs.some(({ line }) => line.audit === 'breaker.reset' && line.scope === 'global');
    for (let i = 0; i < 40 && !audited(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(audited()).toBe(true);

    const accepted = await platform.client.request('POST', `/v1/sessions/${session.sessionId}/turns`, {
      body: { message: 'Hello' },
    });
    expect(accepted.status).toBe(202);
  });
});
