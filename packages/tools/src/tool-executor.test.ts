import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ConfirmationStore, hashArguments } from '@agentops/confirmations';
import { contractsDir, loadContracts } from '@agentops/contracts';
import type { ToolJobData } from '@agentops/core';
import { SessionStore } from '@agentops/sessions';
import { deleteKeys } from '@agentops/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDemoBackend } from './demo-backend/server.ts';
import { ToolExecutor } from './tool-executor.ts';
import { ToolGuards } from './tool-guards.ts';

const prefix = `test-executor-${randomBytes(4).toString('hex')}`;
const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
const backend = createDemoBackend({ hangMs: 10_000 });
const contracts = loadContracts(contractsDir(undefined));
const sessions = new SessionStore(redis, prefix, 3_600);
const confirmations = new ConfirmationStore(redis, prefix, 3_600);
const guards = new ToolGuards(redis, prefix, { sessionTtlSeconds: 3_600, cacheTtlSeconds: 300 });
let executor: ToolExecutor;
let backendUrl: string;
let sessionId: string;

async function stats() {
  return (await (await fetch(`${backendUrl}/stats`)).json()) as {
    requests: number;
    executed: { refund: number };
  };
}

async function newSession(tenant = 'default', agent = 'support'): Promise<string> {
  const id = `ses_${randomBytes(6).toString('hex')}`;
  await sessions.createSession({
    sessionId: id,
    tenant,
    userId: 'u1',
    agent,
    status: 'active',
    createdAt: new Date().toISOString(),
    metadata: {},
  });
  return id;
}

let callCounter = 0;
function call(tool: string, args: Record<string, unknown>, extra: Partial<ToolJobData> = {}): ToolJobData {
  callCounter++;
  return { sessionId, turnId: 'turn_t', callId: `call_${callCounter}`, tool, arguments: args, ...extra };
}
const run = (job: ToolJobData) => executor.execute(job, `job_${job.callId}`);

/** A stored confirmation of a refund with exactly these arguments, as the router would open it. */
async function refundConfirmation(
  args: { order_id: string; amount_usd: number; reason: string },
  status: 'pending' | 'approved',
): Promise<string> {
  const confirmationId = `conf_${randomBytes(6).toString('hex')}`;
  await confirmations.create({
    confirmationId,
    sessionId,
    turnId: 'turn_t',
    callId: 'call_c',
    tool: 'issue_refund',
    arguments: args,
    argsHash: hashArguments(args),
    summary: `Refund $${args.amount_usd.toFixed(2)} for order ${args.order_id}`,
    status,
    createdAt: new Date().toISOString(),
    expiresAtMs: Date.now() + 60_000,
  });
  return confirmationId;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  executor = new ToolExecutor({ contracts, sessions, confirmations, guards, backendUrl });
});

beforeEach(async () => {
  sessionId = await newSession();
  await fetch(`${backendUrl}/stats/reset`, { method: 'POST' });
});

afterAll(async () => {
  backend.closeAllConnections();
  await new Promise((resolve) => backend.close(resolve));
  await deleteKeys(redis, `${prefix}:`);
  redis.disconnect();
});

describe('the tool executor enforces the contract', () => {
  it('answers a tool name the model invented with a permanent error that lists the tools it may call', async () => {
    const outcome = await run(call('delete_all_orders', {}));
    expect(outcome.result).toMatchObject({ status: 'error', error_type: 'permanent', retry_safe: false });
    expect(outcome.result.message).toMatch(/get_order_status/);
    expect(outcome.result.message).toMatch(/search_docs/);
    expect((await stats()).requests).toBe(0);
  });

  it('answers arguments that break input_schema with a permanent error naming the field, without calling the backend', async () => {
    const outcome = await run(call('get_order_status', { order_id: 'not an id', extra: true }));
    expect(outcome.result).toMatchObject({ status: 'error', error_type: 'permanent', retry_safe: false });
    expect(outcome.result.message).toMatch(/order_id/);
    expect((await stats()).requests).toBe(0);
  });

  it('refuses a tool outside the session scopes ("not permitted"), checked in the worker', async () => {
    sessionId = await newSession('readonly');
    const outcome = await run(call('issue_refund', { order_id: 'A1002', amount_usd: 10, reason: 'test' }));
    expect(outcome.result).toMatchObject({ status: 'error', error_type: 'permanent' });
    expect(outcome.result.message).toMatch(/not permitted/);
  });

  it('refuses a tool the session\'s agent was not offered ("not permitted"), even with a confirmation, without calling the backend', async () => {
    sessionId = await newSession('default', 'faq');
    const args = { order_id: 'A1002', amount_usd: 10, reason: 'test' };
    const confirmationId = await refundConfirmation(args, 'approved');
    for (const job of [
      call('get_order_status', { order_id: 'A1001' }),
      call('issue_refund', args, { confirmationId }),
    ]) {
      const outcome = await run(job);
      expect(outcome.result).toMatchObject({ status: 'error', error_type: 'permanent', retry_safe: false });
      expect(outcome.result.message).toMatch(/not permitted/);
    }
    expect((await stats()).requests).toBe(0);
  });

  it('never runs a side effect without a confirmation, even when the model asks for it directly', async () => {
    const outcome = await run(call('issue_refund', { order_id: 'A1002', amount_usd: 10, reason: 'test' }));
    expect(outcome.result).toMatchObject({ status: 'error', error_type: 'permanent' });
    expect((await stats()).executed.refund).toBe(0);
  });

  it('runs a confirmed side effect exactly once, and refuses it for other arguments', async () => {
    const args = { order_id: 'A1002', amount_usd: 49.99, reason: 'damaged' };
    const confirmationId = await refundConfirmation(args, 'pending');

    const unapproved = await run(call('issue_refund', args, { confirmationId }));
    expect(unapproved.result.status).toBe('error');
    await confirmations.decide(confirmationId, 'approved', 'key_test');

    const tampered = await run(call('issue_refund', { ...args, amount_usd: 4999 }, { confirmationId }));
    expect(tampered.result.status).toBe('error');

    const first = await run(call('issue_refund', args, { confirmationId }));
    const again = await run(call('issue_refund', args, { confirmationId }));
    expect(first.result.status).toBe('success');
    expect(again.result).toEqual(first.result);
    expect((await stats()).executed.refund).toBe(1);
  });

  it('stops a tool at max_calls_per_session with a permanent "limit reached" result', async () => {
    const limit = contracts.tools.get('search_docs')?.max_calls_per_session ?? 0;
    for (let i = 0; i < limit; i++) {
      const outcome = await run(call('search_docs', { query: `question number ${i}` }));
      expect(outcome.result.status).toBe('success');
    }
    const over = await run(call('search_docs', { query: 'one more question' }));
    expect(over.result).toMatchObject({ status: 'error', error_type: 'permanent' });
    expect(over.result.message).toMatch(/limit reached/);
  });

  it('counts one model-requested call once, however many attempts it takes', async () => {
    const job = call('get_order_status', { order_id: 'A1001' });
    for (let i = 0; i < 6; i++) {
      const outcome = await executor.execute(
        { ...job, arguments: { order_id: `A100${i}` } },
        `job_${job.callId}`,
      );
      expect(outcome.result.status).toBe('success');
    }
  });

  it('answers the same arguments of an idempotent tool from the cache within a session', async () => {
    const first = await run(call('get_order_status', { order_id: 'A1001' }));
    const second = await run(call('get_order_status', { order_id: 'A1001' }));
    expect(second.cached).toBe(true);
    expect(second.result).toEqual(first.result);
    expect((await stats()).requests).toBe(1);
  });

  it('sorts collections by order_by before the model sees them', async () => {
    const orders: string[] = [];
    for (let i = 0; i < 4; i++) {
      sessionId = await newSession();
      const outcome = await run(call('search_docs', { query: 'return refund policy' }));
      const hits = (outcome.result.data as { hits: { doc_id: string; score: number }[] }).hits;
      expect(hits.length).toBeGreaterThan(1);
      const scores = hits.map((hit) => hit.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      orders.push(hits.map((hit) => hit.doc_id).join(','));
    }
    expect(new Set(orders).size).toBe(1);
  });
});
