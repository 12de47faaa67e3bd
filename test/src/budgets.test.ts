import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { deleteKeys } from '@agentops/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from './platform.ts';

const run = promisify(execFile);
const USER_DAILY_USD = 0.01;

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({
    routers: 2,
    env: { BUDGET_USER_DAILY_USD: String(USER_DAILY_USD), SIM_LATENCY_MS: '20' },
  });
});
afterAll(async () => {
  await platform?.stop();
});

describe('spend cannot be outrun', () => {
  it('keeps two processes making 50 concurrent calls on one session within the limit plus one reservation', async () => {
    const prefix = `race-${randomBytes(4).toString('hex')}`;
    const sessionId = 'ses_race';
    const env = {
      ...process.env,
      REDIS_PREFIX: prefix,
      SESSION_ID: sessionId,
      CALLS: '25',
      BUDGET_SESSION_USD: '0.5',
    };
    const script = new URL('./fixtures/metered-calls.ts', import.meta.url).pathname;
    const outputs = await Promise.all([
      run(process.execPath, [script], { env }),
      run(process.execPath, [script], { env }),
    ]);
    const reports = outputs.map(
      ({ stdout }) => JSON.parse(stdout) as { called: number; maxEstimate: number; spent: number },
    );
    const redis = new Redis(platform.redisUrl);
    const ledger = await redis.hgetall(`${prefix}:spend:session:${sessionId}`);
    await deleteKeys(redis, `${prefix}:`);
    redis.disconnect();

    const limitMicros = 500_000;
    const spent = Number(ledger.spent);
    const oneReservation = Math.max(...reports.map((report) => report.maxEstimate));
    expect(spent).toBe(reports[0]!.spent + reports[1]!.spent);
    expect(spent).toBeLessThanOrEqual(limitMicros + oneReservation);
    expect(reports[0]!.called + reports[1]!.called).toBeLessThan(50);
    expect(Number(ledger.reserved)).toBe(0);
  });

  it('stops a user at the daily limit across their sessions, with two routers, and hands them to a person', async () => {
    const sessions = await Promise.all(
      Array.from({ length: 6 }, () => platform.client.createSession({ userId: 'big-spender' })),
    );
    const turns = [];
    for (let round = 0; round < 2; round++) {
      turns.push(
        ...(await Promise.all(
          sessions.map((session) =>
            platform.client.postTurn(session.sessionId, 'Where is my order A1001?', { wait: 30 }),
          ),
        )),
      );
    }
    const escalated = turns.filter(({ body }) => body.status === 'escalated');
    expect(escalated.length).toBeGreaterThan(0);
    expect(escalated[0]?.body.reply).toMatch(/support team/);

    const redis = new Redis(platform.redisUrl);
    const day = new Date().toISOString().slice(0, 10);
    const spent = Number(
      await redis.hget(`${platform.prefix}:spend:user:default:big-spender:${day}`, 'spent'),
    );
    redis.disconnect();
    // One reservation of sim-small is at most (16k - 1k) input tokens × $0.8 + 1k output × $4 per million.
    const oneReservation = 15_000 * 0.8 + 1_024 * 4;
    expect(spent).toBeLessThanOrEqual(USER_DAILY_USD * 1e6 + oneReservation);

    const escalations = new Queue('escalations', {
      connection: { url: platform.redisUrl },
      prefix: platform.prefix,
    });
    const jobs = await escalations.getJobs(['waiting', 'active', 'completed', 'delayed']);
    await escalations.close();
    expect(jobs.some((job) => job.data.reason === 'budget')).toBe(true);

    // Another user is not affected.
    const other = await platform.client.createSession({ userId: 'frugal' });
    const { body } = await platform.client.postTurn(other.sessionId, 'Where is my order A1001?', {
      wait: 30,
    });
    expect(body.status).toBe('completed');
  });
});
