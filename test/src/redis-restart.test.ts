import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SupportClient } from '@agentops/client';
import { freePort, ping } from '@agentops/launcher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from './platform.ts';

/**
 * A Redis of its own, with AOF fsynced every second, restarted under traffic: the services
 * reconnect by themselves and nothing accepted is lost.
 */
let platform: TestPlatform;
let redis: ChildProcess | undefined;
let port = 0;
const dir = mkdtempSync(join(tmpdir(), 'agentops-redis-'));

async function startRedis(): Promise<void> {
  redis = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100 && (await ping(`redis://127.0.0.1:${port}`, 500)) !== 'PONG'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopRedis(): Promise<void> {
  const child = redis;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  platform = await startPlatform({ redisUrl: `redis://127.0.0.1:${port}` });
});
afterAll(async () => {
  await platform?.stop();
  await stopRedis();
  rmSync(dir, { recursive: true, force: true });
});

describe('a Redis restart under traffic', () => {
  it('keeps accepted turns and escalations, and the services reconnect on their own', async () => {
    const sessions = await Promise.all(
      Array.from({ length: 6 }, (_, i) => platform.client.createSession({ userId: `r-${i}` })),
    );
    const escalated = await platform.client.postTurn(
      sessions[0]?.sessionId ?? '',
      'I want to talk to a human',
      { wait: 20 },
    );
    expect(escalated.body.status).toBe('escalated');
    const posted = await Promise.all(
      sessions
        .slice(1)
        .map((session) => platform.client.postTurn(session.sessionId, 'Where is my order A1001?')),
    );
    // AOF is fsynced every second: give it that second, as the README's persistence note says.
    await new Promise((resolve) => setTimeout(resolve, 1_200));

    await stopRedis();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await startRedis();

    const ended = await Promise.all(
      posted.map(({ body }, i) =>
        platform.client.waitForTurnEnd(sessions[i + 1]?.sessionId ?? '', body.turnId, 60_000),
      ),
    );
    expect(ended.every((turn) => turn.status === 'completed')).toBe(true);
    const view = await platform.client.getSession(sessions[0]?.sessionId ?? '');
    expect(view.status).toBe('escalated');
    const desk = new SupportClient(platform.clientOf('support'));
    const filed = await desk.waitForEscalation(escalated.body.escalationId ?? '');
    expect(filed.sessionId).toBe(sessions[0]?.sessionId);

    // New work flows again through every service.
    const fresh = await platform.client.createSession({ userId: 'after-restart' });
    const { body } = await platform.client.postTurn(fresh.sessionId, 'Where is my order A1003?', {
      wait: 30,
    });
    expect(body.status).toBe('completed');
  });
});
