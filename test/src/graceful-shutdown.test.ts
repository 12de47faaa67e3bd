import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({
    env: { SIM_LATENCY_MS: '200', DEMO_LATENCY_MS: '300', TURN_LOCK_MS: '3000', TOOL_LOCK_MS: '3000' },
  });
});
afterAll(async () => {
  await platform?.stop();
});

describe('graceful shutdown under load', () => {
  it('loses no turn when every worker process gets SIGTERM mid-flight and is replaced', async () => {
    const sessions = await Promise.all(
      Array.from({ length: 12 }, (_, i) => platform.client.createSession({ userId: `load-${i}` })),
    );
    const posted = await Promise.all(
      sessions.map((session, i) =>
        platform.client.postTurn(session.sessionId, i % 2 === 0 ? 'Where is my order A1001?' : 'Hello there'),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 250));
    const codes = [];
    for (const name of ['router', 'tool-worker', 'budget'] as const)
      codes.push(await platform.stopAndRestart(name));
    expect(codes).toEqual([0, 0, 0]);

    const ended = await Promise.all(
      posted.map(({ body }, i) =>
        platform.client.waitForTurnEnd(sessions[i]?.sessionId ?? '', body.turnId, 60_000),
      ),
    );
    expect(ended.map((turn) => turn.status)).toEqual(ended.map(() => 'completed'));
    for (const session of sessions) {
      const view = await platform.client.getSession(session.sessionId);
      expect(view.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    }
  });

  it('answers requests in flight when the API gets SIGTERM, then exits 0', async () => {
    const session = await platform.client.createSession({ userId: 'api-stop' });
    const inFlight = platform.client.postTurn(session.sessionId, 'Where is my order A1002?', { wait: 20 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const code = await platform.services.get('api')?.stop(15_000);
    const { status, body } = await inFlight;
    expect(code).toBe(0);
    expect(status).toBe(200);
    expect(body.status).toBe('completed');
  });
});
