import { redisKeys, toolError, toolSuccess } from '@agentops/core';
import { connectTestRedis, countKeys, deleteKeys, testPrefix } from '@agentops/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfirmationRecord, ConfirmationStore, hashArguments } from './confirmation-store.ts';

const prefix = testPrefix('confirmations');
let redis: Redis;
let store: ConfirmationStore;

beforeAll(() => {
  redis = connectTestRedis();
  store = new ConfirmationStore(redis, prefix, 3600);
});

afterAll(async () => {
  await deleteKeys(redis, prefix);
  expect(await countKeys(redis, prefix)).toBe(0);
  await redis.quit();
});

const refundArgs = { order_id: 'A1001', amount_usd: 48, reason: 'Requested by the customer' };
const refundResult = toolSuccess({ refund_id: 'rf_1', order_id: 'A1001', amount_usd: 48, status: 'issued' });

let count = 0;
/** A pending confirmation of a refund, opened the way the router opens one. */
async function openConfirmation(overrides: Partial<ConfirmationRecord> = {}): Promise<ConfirmationRecord> {
  count++;
  const args = overrides.arguments ?? refundArgs;
  const record: ConfirmationRecord = {
    confirmationId: `conf_${count}`,
    sessionId: 'ses_1',
    turnId: 'turn_1',
    callId: `call_${count}`,
    tool: 'issue_refund',
    arguments: args,
    argsHash: hashArguments(args),
    summary: 'Refund $48 for order A1001',
    status: 'pending',
    createdAt: '2025-01-01T00:00:00.000Z',
    expiresAtMs: Date.now() + 900_000,
    ...overrides,
  };
  await store.create(record);
  return record;
}

const claim = (record: ConfirmationRecord, change: Partial<{ tool: string; sessionId: string }> = {}) =>
  store.claimExecution(record.confirmationId, {
    tool: record.tool,
    sessionId: record.sessionId,
    arguments: record.arguments,
    ...change,
  });

describe('ConfirmationStore', () => {
  it('stores a pending confirmation and reads it back', async () => {
    const record = await openConfirmation();
    expect(await store.get(record.confirmationId)).toEqual(record);
  });

  it('answers null for a confirmation that does not exist', async () => {
    expect(await store.get('conf_missing')).toBeNull();
  });

  it('keeps the first confirmation when the same one is opened again', async () => {
    const record = await openConfirmation();
    await store.create({ ...record, summary: 'Refund $9999 for order A1001' });
    expect((await store.get(record.confirmationId))?.summary).toBe('Refund $48 for order A1001');
  });

  it('expires the stored confirmation with a TTL', async () => {
    const record = await openConfirmation();
    const ttl = await redis.pttl(redisKeys(prefix).confirmation(record.confirmationId));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });

  it('runs an approved call once, then replays its stored result to every later claim', async () => {
    const record = await openConfirmation();
    expect(await store.decide(record.confirmationId, 'approved', 'user_1')).toEqual({
      outcome: 'changed',
      status: 'approved',
    });
    expect(await claim(record)).toEqual({ kind: 'run' });
    await store.completeExecution(record.confirmationId, refundResult);

    expect(await claim(record)).toEqual({ kind: 'done', result: refundResult });
    expect(await claim(record)).toEqual({ kind: 'done', result: refundResult });
    const stored = await store.get(record.confirmationId);
    expect(stored).toMatchObject({
      execution: 'done',
      executions: 1,
      result: refundResult,
      decidedBy: 'user_1',
    });
  });

  it('replays a stored error result too, rather than running again', async () => {
    const record = await openConfirmation();
    await store.decide(record.confirmationId, 'approved', 'user_1');
    await claim(record);
    const failure = toolError('permanent', 'issue_refund was refused (422): exceeds the order total');
    await store.completeExecution(record.confirmationId, failure);
    expect(await claim(record)).toEqual({ kind: 'done', result: failure });
  });

  it('lets a call whose worker died before finishing be claimed again (the backend dedupes it)', async () => {
    const record = await openConfirmation();
    await store.decide(record.confirmationId, 'approved', 'user_1');
    expect(await claim(record)).toEqual({ kind: 'run' });
    expect(await claim(record)).toEqual({ kind: 'run' });
    expect(await store.get(record.confirmationId)).toMatchObject({ execution: 'running', executions: 2 });
  });

  it('refuses a call whose arguments differ from the approved ones', async () => {
    const record = await openConfirmation();
    await store.decide(record.confirmationId, 'approved', 'user_1');
    const tampered = await store.claimExecution(record.confirmationId, {
      tool: record.tool,
      sessionId: record.sessionId,
      arguments: { ...refundArgs, amount_usd: 4800 },
    });
    expect(tampered).toEqual({ kind: 'refused', reason: 'the call differs from the one that was confirmed' });
    expect((await store.get(record.confirmationId))?.executions).toBeUndefined();
  });

  it('refuses the approved arguments for another tool or another session', async () => {
    const record = await openConfirmation();
    await store.decide(record.confirmationId, 'approved', 'user_1');
    const refusal = { kind: 'refused', reason: 'the call differs from the one that was confirmed' };
    expect(await claim(record, { tool: 'send_email' })).toEqual(refusal);
    expect(await claim(record, { sessionId: 'ses_other' })).toEqual(refusal);
  });

  it('accepts the approved arguments in any key order', async () => {
    const record = await openConfirmation();
    await store.decide(record.confirmationId, 'approved', 'user_1');
    const reordered = { reason: refundArgs.reason, amount_usd: 48, order_id: 'A1001' };
    expect(
      await store.claimExecution(record.confirmationId, {
        tool: record.tool,
        sessionId: record.sessionId,
        arguments: reordered,
      }),
    ).toEqual({ kind: 'run' });
  });

  it('never runs a declined call', async () => {
    const record = await openConfirmation();
    expect(await store.decide(record.confirmationId, 'declined', 'user_1')).toEqual({
      outcome: 'changed',
      status: 'declined',
    });
    expect(await claim(record)).toEqual({ kind: 'refused', reason: 'confirmation is declined' });
  });

  it('never runs an expired call', async () => {
    const record = await openConfirmation();
    await store.decide(record.confirmationId, 'expired', 'system');
    expect(await claim(record)).toEqual({ kind: 'refused', reason: 'confirmation is expired' });
  });

  it('never runs a call nobody has decided on yet', async () => {
    const record = await openConfirmation();
    expect(await claim(record)).toEqual({ kind: 'refused', reason: 'confirmation is pending' });
  });

  it('refuses to run a confirmation that does not exist', async () => {
    expect(
      await store.claimExecution('conf_nope', {
        tool: 'issue_refund',
        sessionId: 'ses_1',
        arguments: refundArgs,
      }),
    ).toEqual({ kind: 'refused', reason: 'no such confirmation' });
  });

  it('turns an approval that arrives after the deadline into an expiry', async () => {
    const record = await openConfirmation({ expiresAtMs: 1_000_000 });
    expect(await store.decide(record.confirmationId, 'approved', 'user_1', 1_000_000)).toEqual({
      outcome: 'changed',
      status: 'expired',
    });
    expect(await claim(record)).toEqual({ kind: 'refused', reason: 'confirmation is expired' });
  });

  it('accepts an approval just before the deadline', async () => {
    const record = await openConfirmation({ expiresAtMs: 1_000_000 });
    expect(await store.decide(record.confirmationId, 'approved', 'user_1', 999_999)).toMatchObject({
      status: 'approved',
    });
  });

  it('takes a decision once: a second decision changes nothing', async () => {
    const record = await openConfirmation();
    await store.decide(record.confirmationId, 'approved', 'user_1', 1_000);
    expect(await store.decide(record.confirmationId, 'approved', 'user_1', 2_000)).toEqual({
      outcome: 'unchanged',
      status: 'approved',
    });
    expect(await store.decide(record.confirmationId, 'declined', 'someone_else', 3_000)).toEqual({
      outcome: 'unchanged',
      status: 'approved',
    });
    expect(await store.get(record.confirmationId)).toMatchObject({
      status: 'approved',
      decidedAtMs: 1_000,
      decidedBy: 'user_1',
    });
  });

  it('does not let a declined call be approved afterwards', async () => {
    const record = await openConfirmation();
    await store.decide(record.confirmationId, 'declined', 'user_1');
    expect(await store.decide(record.confirmationId, 'approved', 'user_1')).toEqual({
      outcome: 'unchanged',
      status: 'declined',
    });
    expect(await claim(record)).toMatchObject({ kind: 'refused' });
  });

  it('says when the confirmation to decide on does not exist', async () => {
    expect(await store.decide('conf_nope', 'approved', 'user_1')).toEqual({ outcome: 'missing' });
  });
});

describe('hashArguments', () => {
  it('does not depend on key order, at any depth', () => {
    expect(hashArguments({ a: 1, b: { c: 2, d: [1, { e: 3, f: 4 }] } })).toBe(
      hashArguments({ b: { d: [1, { f: 4, e: 3 }], c: 2 }, a: 1 }),
    );
  });

  it('changes with any value, type or array order', () => {
    const base = hashArguments({ order_id: 'A1001', amount_usd: 48 });
    expect(hashArguments({ order_id: 'A1001', amount_usd: 49 })).not.toBe(base);
    expect(hashArguments({ order_id: 'A1001', amount_usd: '48' })).not.toBe(base);
    expect(hashArguments({ order_id: 'A1001' })).not.toBe(base);
    expect(hashArguments({ list: [1, 2] })).not.toBe(hashArguments({ list: [2, 1] }));
  });
});
