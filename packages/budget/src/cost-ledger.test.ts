import { randomBytes } from 'node:crypto';
import { redisKeys } from '@agentops/core';
import { deleteKeys } from '@agentops/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { BudgetLimits } from './budget-limits.ts';
import { CostBreakers } from './cost-breakers.ts';
import { CostLedger, type ReserveOutcome } from './cost-ledger.ts';

const prefix = `test-ledger-${randomBytes(4).toString('hex')}`;
const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
const limits: BudgetLimits = {
  sessionTokens: 10_000,
  warningRatio: 0.75,
  sessionMicros: 10_000,
  userDailyMicros: 25_000,
  globalHourlyMicros: 1_000_000,
};
const ledger = new CostLedger(redis, prefix, limits, 3_600);
const breakers = new CostBreakers(redis, prefix);
const keys = redisKeys(prefix);
const owner = (sessionId: string, userId = 'u1') => ({ sessionId, tenant: 'default', userId });
const reserved = (outcome: ReserveOutcome) => {
  if (outcome.kind !== 'reserved') throw new Error(`expected a reservation, got ${JSON.stringify(outcome)}`);
  return outcome;
};

afterAll(async () => {
  await deleteKeys(redis, `${prefix}:`);
  redis.disconnect();
});

describe('the cost ledger', () => {
  it('replaces a reservation by the real cost when it settles, and counts the tokens', async () => {
    const reservation = reserved(await ledger.reserve(owner('s1'), 'r1', 4_000));
    expect(await ledger.sessionSpend('s1')).toEqual({ spentMicros: 0, reservedMicros: 4_000, tokens: 0 });
    expect(await ledger.settle(reservation, 1_500, 900)).toBe(true);
    expect(await ledger.sessionSpend('s1')).toEqual({ spentMicros: 1_500, reservedMicros: 0, tokens: 900 });
  });

  it('settles a reservation once, however often the settle is repeated', async () => {
    const reservation = reserved(await ledger.reserve(owner('s2'), 'r2', 4_000));
    await ledger.settle(reservation, 1_000, 10);
    expect(await ledger.settle(reservation, 1_000, 10)).toBe(false);
    expect((await ledger.sessionSpend('s2')).spentMicros).toBe(1_000);
  });

  it('refuses a call whose worst case would pass the session limit, and opens the session breaker', async () => {
    reserved(await ledger.reserve(owner('s3'), 'r3a', 6_000));
    const refused = await ledger.reserve(owner('s3'), 'r3b', 6_000);
    expect(refused).toMatchObject({
      kind: 'refused',
      scope: 'session',
      limitMicros: 10_000,
      breakerOpened: true,
    });
    expect(await breakers.isOpen('session', 's3')).toBe(true);
    // While open, even a small call is refused.
    expect(await ledger.reserve(owner('s3'), 'r3c', 1)).toMatchObject({ kind: 'refused', scope: 'session' });
  });

  it("counts a user's spend across all of their sessions in the day", async () => {
    for (const session of ['u-a', 'u-b', 'u-c']) {
      const reservation = reserved(await ledger.reserve(owner(session, 'spender'), `r-${session}`, 9_000));
      await ledger.settle(reservation, 8_000, 100);
    }
    const refused = await ledger.reserve(owner('u-d', 'spender'), 'r-u-d', 2_000);
    expect(refused).toMatchObject({ kind: 'refused', scope: 'user' });
    expect(await ledger.reserve(owner('other', 'someone-else'), 'r-other', 2_000)).toMatchObject({
      kind: 'reserved',
    });
  });

  it('still counts the real cost of a call whose reservation expired before it settled', async () => {
    const reservation = reserved(await ledger.reserve(owner('s5'), 'r5', 3_000));
    await redis.del(keys.spendReservation('r5'));
    await ledger.settle(reservation, 2_000, 50);
    expect((await ledger.sessionSpend('s5')).spentMicros).toBe(2_000);
  });

  it('lists open breakers and resets one', async () => {
    await breakers.open('global', 'global', 'test', 60_000);
    const listed = await breakers.list();
    expect(listed).toEqual(
      expect.arrayContaining([expect.objectContaining({ scope: 'global', key: 'global', state: 'open' })]),
    );
    expect(await breakers.globalOpenForMs()).toBeGreaterThan(0);
    expect(await breakers.reset('global', 'global')).toBe(true);
    expect(await breakers.globalOpenForMs()).toBe(0);
    expect(await breakers.reset('global', 'global')).toBe(false);
  });

  it('never lets 50 concurrent reservations pass the limit by more than one reservation', async () => {
    const amount = 700;
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => ledger.reserve(owner('race'), `race-${i}`, amount)),
    );
    await Promise.all(
      outcomes.map((outcome) => (outcome.kind === 'reserved' ? ledger.settle(outcome, amount, 1) : null)),
    );
    const spend = await ledger.sessionSpend('race');
    expect(spend.spentMicros).toBeLessThanOrEqual(limits.sessionMicros);
    expect(outcomes.filter((outcome) => outcome.kind === 'reserved')).toHaveLength(
      Math.floor(limits.sessionMicros / amount),
    );
  });
});
