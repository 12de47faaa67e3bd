import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from './platform.ts';

/**
 * The sim in chaos mode: half of its calls invent tools, send invalid or malformed arguments,
 * answer nothing, answer far too much, or call tools for ever. Every turn must still end with a
 * reply, inside the step cap.
 */
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({
    env: { SIM_CHAOS_PERCENT: '50', SIM_CHAOS_SEED: '7', BUDGET_SESSION_TOKENS: '1000000' },
  });
});
afterAll(async () => {
  await platform?.stop();
});

const MESSAGES = [
  'Where is my order A1001?',
  'How do I return an item?',
  'Hello!',
  'Please refund order A1002',
  'Where is my order E1001?',
];

describe('a misbehaving model', () => {
  it('cannot keep a turn from ending with a readable reply inside its caps', async () => {
    const sessions = await Promise.all(
      Array.from({ length: 10 }, (_, i) => platform.client.createSession({ userId: `chaos-${i}` })),
    );
    const turns = [];
    for (let round = 0; round < 3; round++) {
      const posted = await Promise.all(
        sessions.map((session, i) =>
          platform.client.postTurn(session.sessionId, MESSAGES[(i + round) % MESSAGES.length] ?? 'Hello', {
            wait: 30,
          }),
        ),
      );
      for (const [i, { body }] of posted.entries()) {
        const sessionId = sessions[i]?.sessionId ?? '';
        let turn =
          body.status === 'waiting_confirmation'
            ? body
            : await platform.client.waitForTurnEnd(sessionId, body.turnId);
        if (turn.status === 'waiting_confirmation') {
          turn = await platform.client.decideConfirmation(
            sessionId,
            turn.confirmation?.confirmationId ?? '',
            false,
            { wait: 30 },
          );
          turn = await platform.client.waitForTurnEnd(sessionId, turn.turnId);
        }
        turns.push(turn);
      }
    }
    expect(turns).toHaveLength(30);
    for (const turn of turns) {
      expect(['completed', 'escalated', 'failed']).toContain(turn.status);
      expect(turn.reply?.trim().length).toBeGreaterThan(0);
      expect(turn.reply?.length ?? 0).toBeLessThan(20_000);
      expect(turn.toolCalls?.length ?? 0).toBeLessThanOrEqual(8 * 3);
    }
    const misbehaved = platform.logs.filter(
      ({ line }) => String(line.msg).includes('tool call finished') && line['tool.status'] === 'error',
    );
    expect(misbehaved.length + turns.filter((turn) => turn.status !== 'completed').length).toBeGreaterThan(0);
  });
});
