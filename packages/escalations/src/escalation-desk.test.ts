import { randomBytes } from 'node:crypto';
import type { EscalationRequest } from '@agentops/core';
import { SessionStore } from '@agentops/sessions';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type DeskActor, EscalationDesk } from './escalation-desk.ts';

const prefix = `test-desk-${randomBytes(4).toString('hex')}`;
const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
const sessions = new SessionStore(redis, prefix, 3_600);
const TTL_SECONDS = 600;
const desk = new EscalationDesk(redis, prefix, {
  escalationTtlSeconds: TTL_SECONDS,
  sessionTtlSeconds: 3_600,
});

const anna: DeskActor = { keyId: 'key_anna', agentName: 'Anna', override: false };
const ben: DeskActor = { keyId: 'key_ben', agentName: 'Ben', override: false };
const ops: DeskActor = { keyId: 'key_ops', override: true };

afterAll(async () => {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (found.length > 0) await redis.del(...found);
  } while (cursor !== '0');
  redis.disconnect();
});

/** A session escalated the way the publisher leaves it, and its escalation filed on the desk. */
async function escalatedSession(
  options: { tenant?: string; createdAt?: string } = {},
): Promise<EscalationRequest> {
  const tenant = options.tenant ?? 'default';
  const sessionId = `ses_${randomBytes(6).toString('hex')}`;
  const escalationId = `esc_${randomBytes(6).toString('hex')}`;
  await sessions.createSession({
    sessionId,
    tenant,
    userId: 'u1',
    agent: 'support',
    status: 'escalated',
    escalationId,
    createdAt: new Date().toISOString(),
    metadata: {},
  });
  const request: EscalationRequest = {
    escalationId,
    sessionId,
    tenant,
    userId: 'u1',
    reason: 'user_request',
    detail: 'the customer asked for a person',
    createdAt: options.createdAt ?? new Date().toISOString(),
  };
  expect(await desk.open(request)).toBe(true);
  return request;
}

describe('filing', () => {
  it('files a request once, however often it is delivered', async () => {
    const request = await escalatedSession();
    expect(await desk.open(request)).toBe(false);
    await desk.claim(request.escalationId, 'Anna', anna.keyId);
    expect(await desk.open(request)).toBe(false);
    expect((await desk.get(request.escalationId))?.status).toBe('claimed');
  });

  it('gives the record and its indexes a TTL', async () => {
    const request = await escalatedSession();
    const ttl = await redis.pttl(desk.keys.escalation(request.escalationId));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL_SECONDS * 1000);
    expect(await redis.pttl(desk.keys.escalationIndex('waiting'))).toBeGreaterThan(0);
    expect(await redis.pttl(desk.keys.tenantEscalationIndex('default', 'waiting'))).toBeGreaterThan(0);
  });

  it('drops waiting entries older than the TTL from the index when the next one is filed', async () => {
    const old = await escalatedSession({
      tenant: 'prune',
      createdAt: new Date(Date.now() - 2 * TTL_SECONDS * 1000).toISOString(),
    });
    const index = desk.keys.tenantEscalationIndex('prune', 'waiting');
    expect(await redis.zscore(index, old.escalationId)).not.toBeNull();
    const fresh = await escalatedSession({ tenant: 'prune' });
    expect(await redis.zrange(index, 0, '-1')).toEqual([fresh.escalationId]);
  });
});

describe('listing', () => {
  it('lists oldest first, per tenant, and every tenant for *', async () => {
    const first = await escalatedSession({
      tenant: 'list-a',
      createdAt: new Date(Date.now() - 3_000).toISOString(),
    });
    const second = await escalatedSession({
      tenant: 'list-b',
      createdAt: new Date(Date.now() - 2_000).toISOString(),
    });
    const third = await escalatedSession({
      tenant: 'list-a',
      createdAt: new Date(Date.now() - 1_000).toISOString(),
    });
    const ids = (tenant: string) =>
      desk
        .list({ tenant, statuses: ['waiting'], limit: 500 })
        .then((records) => records.map((record) => record.escalationId));
    expect(await ids('list-a')).toEqual([first.escalationId, third.escalationId]);
    const everyone = await ids('*');
    expect(everyone.filter((id) => [first, second, third].some((r) => r.escalationId === id))).toEqual([
      first.escalationId,
      second.escalationId,
      third.escalationId,
    ]);
  });

  it('forgets index entries whose record has expired', async () => {
    const gone = await escalatedSession({ tenant: 'expiry' });
    const kept = await escalatedSession({ tenant: 'expiry' });
    await redis.del(desk.keys.escalation(gone.escalationId));
    const listed = await desk.list({ tenant: 'expiry', statuses: ['waiting'], limit: 10 });
    expect(listed.map((record) => record.escalationId)).toEqual([kept.escalationId]);
    expect(
      await redis.zscore(desk.keys.tenantEscalationIndex('expiry', 'waiting'), gone.escalationId),
    ).toBeNull();
  });
});

describe('claiming', () => {
  it('lets exactly one of many simultaneous claims win', async () => {
    const request = await escalatedSession();
    const agents = Array.from({ length: 12 }, (_, i) => `agent-${i}`);
    const outcomes = await Promise.all(
      agents.map((name) => desk.claim(request.escalationId, name, `key_${name}`)),
    );
    expect(outcomes.filter((o) => o.outcome === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'conflict')).toHaveLength(11);
    const record = await desk.get(request.escalationId);
    const winner = outcomes.find((o) => o.outcome === 'claimed');
    expect(winner?.outcome === 'claimed' && winner.escalation.claimedBy).toBe(record?.claimedBy);
    expect(await redis.zscore(desk.keys.escalationIndex('waiting'), request.escalationId)).toBeNull();
    expect(await redis.zscore(desk.keys.escalationIndex('claimed'), request.escalationId)).not.toBeNull();
  });

  it('takes a repeated claim by the same agent as the same claim, and names the holder to others', async () => {
    const request = await escalatedSession();
    expect((await desk.claim(request.escalationId, 'Anna', anna.keyId)).outcome).toBe('claimed');
    expect((await desk.claim(request.escalationId, 'Anna', anna.keyId)).outcome).toBe('again');
    // Same shared key, another person: still a second agent.
    expect(await desk.claim(request.escalationId, 'Ben', anna.keyId)).toEqual({
      outcome: 'conflict',
      claimedBy: 'Anna',
    });
  });
});

describe('replying and resolving', () => {
  it('puts a reply into the session history as role agent and onto its event stream, in one step', async () => {
    const request = await escalatedSession();
    expect((await desk.reply(request.escalationId, anna, 'Hello')).outcome).toBe('not_claimed');
    await desk.claim(request.escalationId, 'Anna', anna.keyId);
    expect((await desk.reply(request.escalationId, ben, 'Mine now')).outcome).toBe('claimed_by_other');
    expect((await desk.reply(request.escalationId, anna, 'Hello, I am Anna.')).outcome).toBe('sent');
    expect((await desk.reply(request.escalationId, ops, 'Ops here.')).outcome).toBe('sent');

    const history = await sessions.getHistory(request.sessionId);
    expect(history).toEqual([
      expect.objectContaining({ role: 'agent', content: 'Hello, I am Anna.', agentName: 'Anna' }),
      expect.objectContaining({ role: 'agent', content: 'Ops here.' }),
    ]);
    const events = await sessions.readEvents(request.sessionId, '0');
    expect(events.map(({ event }) => event)).toEqual([
      expect.objectContaining({ type: 'message', role: 'agent', content: 'Hello, I am Anna.' }),
      expect.objectContaining({ type: 'message', role: 'agent', content: 'Ops here.' }),
    ]);
    expect((await desk.get(request.escalationId))?.replies).toBe(2);
  });

  it('hands the session back to the bot on return_to_bot, once', async () => {
    const request = await escalatedSession();
    await desk.claim(request.escalationId, 'Anna', anna.keyId);
    expect((await desk.resolve(request.escalationId, ben, 'return_to_bot')).outcome).toBe('claimed_by_other');
    const resolved = await desk.resolve(request.escalationId, anna, 'return_to_bot', 'order found');
    expect(resolved).toMatchObject({
      outcome: 'resolved',
      sessionChanged: true,
      escalation: {
        status: 'resolved',
        resolution: 'return_to_bot',
        note: 'order found',
        resolvedBy: 'Anna',
      },
    });
    expect((await sessions.getSession(request.sessionId))?.status).toBe('active');
    expect((await desk.resolve(request.escalationId, anna, 'return_to_bot')).outcome).toBe('again');
    expect((await desk.resolve(request.escalationId, anna, 'close')).outcome).toBe('already_resolved');
    expect((await sessions.getSession(request.sessionId))?.status).toBe('active');
    expect((await desk.reply(request.escalationId, anna, 'too late')).outcome).toBe('already_resolved');
    const events = (await sessions.readEvents(request.sessionId, '0')).map(({ event }) => event.type);
    expect(events).toEqual(['message', 'session.status']);
  });

  it('closes the session on close', async () => {
    const request = await escalatedSession();
    await desk.claim(request.escalationId, 'Anna', anna.keyId);
    await desk.resolve(request.escalationId, ops, 'close');
    expect((await sessions.getSession(request.sessionId))?.status).toBe('closed');
    expect(await redis.zscore(desk.keys.escalationIndex('resolved'), request.escalationId)).not.toBeNull();
    expect(await redis.zscore(desk.keys.escalationIndex('claimed'), request.escalationId)).toBeNull();
  });

  it('leaves a session alone that has moved on to a newer escalation', async () => {
    const request = await escalatedSession();
    await desk.claim(request.escalationId, 'Anna', anna.keyId);
    await sessions.updateSession(request.sessionId, { fields: { escalationId: 'esc_newer' } });
    const resolved = await desk.resolve(request.escalationId, anna, 'return_to_bot');
    expect(resolved).toMatchObject({ outcome: 'resolved', sessionChanged: false });
    expect((await sessions.getSession(request.sessionId))?.status).toBe('escalated');
  });
});
