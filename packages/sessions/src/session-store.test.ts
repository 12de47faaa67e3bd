import type { HistoryMessage, SessionEvent, SessionRecord, TurnRecord } from '@agentops/core';
import { connectTestRedis, countKeys, deleteKeys, testPrefix } from '@agentops/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionStore } from './session-store.ts';

const prefix = testPrefix('sessions');
let redis: Redis;
let store: SessionStore;

beforeAll(() => {
  redis = connectTestRedis();
  store = new SessionStore(redis, prefix, 3600);
});

afterAll(async () => {
  await deleteKeys(redis, prefix);
  expect(await countKeys(redis, prefix)).toBe(0);
  await redis.quit();
});

const at = '2025-01-01T00:00:00.000Z';
let sessions = 0;
let turns = 0;

async function newSession(overrides: Partial<SessionRecord> = {}): Promise<SessionRecord> {
  sessions++;
  const session: SessionRecord = {
    sessionId: `ses_${sessions}`,
    tenant: 'default',
    userId: 'user_1',
    agent: 'support',
    status: 'active',
    createdAt: at,
    metadata: { channel: 'web', vip: true, score: 3, note: null },
    ...overrides,
  };
  await store.createSession(session);
  return session;
}

function newTurn(sessionId: string, message = 'Where is A1001?'): TurnRecord {
  turns++;
  return {
    turnId: `turn_${turns}`,
    sessionId,
    tenant: 'default',
    status: 'queued',
    message,
    createdAt: at,
    step: 0,
    usage: { inputTokens: 0, outputTokens: 0, costMicros: 0 },
    toolCalls: [],
    routing: [],
  };
}

function completed(turn: TurnRecord, reply: string): TurnRecord {
  return { ...turn, status: 'completed', reply, endedAt: at };
}

async function accept(turn: TurnRecord, maxQueued = 10) {
  return store.acceptTurn(turn, maxQueued);
}

describe('sessions', () => {
  it('stores a session and reads it back, metadata included', async () => {
    const session = await newSession();
    expect(await store.getSession(session.sessionId)).toEqual(session);
  });

  it('keeps optional fields such as the running summary', async () => {
    const session = await newSession({
      summary: 'Asked about A1001.',
      summarizedCount: 4,
      escalationId: 'esc_1',
    });
    expect(await store.getSession(session.sessionId)).toEqual(session);
  });

  it('answers null for a session that does not exist', async () => {
    expect(await store.getSession('ses_nope')).toBeNull();
  });

  it('gives the session a TTL so an idle one expires', async () => {
    const session = await newSession();
    const ttl = await redis.pttl(store.keys.session(session.sessionId));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });

  it('changes a session’s status and reports a missing session', async () => {
    const session = await newSession();
    expect(
      await store.updateSession(session.sessionId, {
        fields: { status: 'escalated', escalationId: 'esc_9' },
      }),
    ).toBe(true);
    expect(await store.getSession(session.sessionId)).toMatchObject({
      status: 'escalated',
      escalationId: 'esc_9',
    });
    expect(await store.updateSession('ses_nope', { fields: { status: 'closed' } })).toBe(false);
    expect(await redis.exists(store.keys.session('ses_nope'))).toBe(0);
  });
});

describe('accepting turns', () => {
  it('queues turns in the order they were accepted, the first at the head of the inbox', async () => {
    const { sessionId } = await newSession();
    const first = newTurn(sessionId, 'one');
    const second = newTurn(sessionId, 'two');
    const third = newTurn(sessionId, 'three');
    expect(await accept(first)).toEqual({ outcome: 'accepted', position: 1 });
    expect(await accept(second)).toEqual({ outcome: 'accepted', position: 2 });
    expect(await accept(third)).toEqual({ outcome: 'accepted', position: 3 });
    expect(await store.inboxHead(sessionId)).toBe(first.turnId);
    expect(await store.getTurn(second.turnId)).toEqual(second);
  });

  it('refuses a turn for a session that does not exist, and stores nothing', async () => {
    const turn = newTurn('ses_nope');
    expect(await accept(turn)).toEqual({ outcome: 'missing' });
    expect(await store.getTurn(turn.turnId)).toBeNull();
  });

  it('refuses a turn for a closed session', async () => {
    const { sessionId } = await newSession();
    await store.updateSession(sessionId, { fields: { status: 'closed' } });
    const turn = newTurn(sessionId);
    expect(await accept(turn)).toEqual({ outcome: 'closed' });
    expect(await store.getTurn(turn.turnId)).toBeNull();
    expect(await store.inboxHead(sessionId)).toBeNull();
  });

  it('still accepts turns for an escalated session (a person answers them)', async () => {
    const { sessionId } = await newSession({ status: 'escalated' });
    expect(await accept(newTurn(sessionId))).toMatchObject({ outcome: 'accepted' });
  });

  it('refuses a turn when the inbox is full, saying how deep it is', async () => {
    const { sessionId } = await newSession();
    await accept(newTurn(sessionId), 2);
    await accept(newTurn(sessionId), 2);
    const third = newTurn(sessionId);
    expect(await accept(third, 2)).toEqual({ outcome: 'full', depth: 2 });
    expect(await store.getTurn(third.turnId)).toBeNull();
  });

  it('answers another tenant’s session as missing, and stores nothing', async () => {
    const { sessionId } = await newSession({ tenant: 'acme' });
    const turn = newTurn(sessionId);
    expect(await store.acceptTurn(turn, 10, { tenant: 'default' })).toEqual({ outcome: 'missing' });
    expect(await store.getTurn(turn.turnId)).toBeNull();
    expect(await store.acceptTurn(turn, 10, { tenant: 'acme' })).toMatchObject({ outcome: 'accepted' });
  });

  it('refuses turns while the pausing key exists, saying for how long', async () => {
    const { sessionId } = await newSession();
    const breaker = `${prefix}:pausing-breaker`;
    await redis.set(breaker, 'open', 'PX', 60_000);
    const turn = newTurn(sessionId);
    const refused = await store.acceptTurn(turn, 10, { pausedWhile: breaker });
    expect(refused).toMatchObject({ outcome: 'paused' });
    expect(refused.outcome === 'paused' && refused.retryAfterMs).toBeGreaterThan(50_000);
    expect(await store.getTurn(turn.turnId)).toBeNull();
    await redis.del(breaker);
    expect(await store.acceptTurn(turn, 10, { pausedWhile: breaker })).toMatchObject({ outcome: 'accepted' });
  });

  it('refuses turns while the backlog is at its bound', async () => {
    const { sessionId } = await newSession();
    const backlog = `${prefix}:backlog`;
    await redis.rpush(backlog, 'a', 'b');
    const turn = newTurn(sessionId);
    expect(await store.acceptTurn(turn, 10, { backlog: { key: backlog, max: 2 } })).toEqual({
      outcome: 'busy',
      backlog: 2,
    });
    expect(await store.acceptTurn(turn, 10, { backlog: { key: backlog, max: 3 } })).toMatchObject({
      outcome: 'accepted',
    });
  });

  it('announces an accepted turn as a queued event', async () => {
    const { sessionId } = await newSession();
    const turn = newTurn(sessionId);
    await accept(turn);
    const events = await store.readEvents(sessionId, '0');
    expect(events.map((entry) => entry.event)).toEqual([
      { type: 'turn.status', turnId: turn.turnId, status: 'queued', at },
    ]);
  });

  it('wakes API processes over pub/sub with the session id', async () => {
    const { sessionId } = await newSession();
    const subscriber = redis.duplicate();
    try {
      const received = new Promise<string>((resolve) =>
        subscriber.on('message', (_channel, id) => resolve(id)),
      );
      await subscriber.subscribe(store.keys.eventsChannel);
      await accept(newTurn(sessionId));
      expect(await received).toBe(sessionId);
    } finally {
      subscriber.disconnect();
    }
  });
  it('names the turn in the wake-up when a step settles it, so waiters need not look before', async () => {
    const { sessionId } = await newSession();
    const turn = newTurn(sessionId);
    await accept(turn);
    const subscriber = redis.duplicate();
    try {
      const received: string[] = [];
      const both = new Promise<void>((resolve) =>
        subscriber.on('message', (_channel, message: string) => {
          received.push(message);
          if (received.length === 2) resolve();
        }),
      );
      await subscriber.subscribe(store.keys.eventsChannel);
      const running: TurnRecord = { ...turn, status: 'running' };
      await store.saveTurn(running, {
        events: [{ type: 'turn.status', turnId: turn.turnId, status: 'running', at }],
      });
      const done = completed(turn, 'Shipped.');
      await store.finishTurn(done, {
        events: [
          { type: 'message', role: 'assistant', content: 'Shipped.', turnId: turn.turnId, at },
          { type: 'turn.status', turnId: turn.turnId, status: 'completed', reply: 'Shipped.', at },
        ],
      });
      await both;
      expect(received).toEqual([sessionId, `${sessionId}\t${turn.turnId}`]);
    } finally {
      subscriber.disconnect();
    }
  });
});

describe('loading a turn for a router', () => {
  it('reads the inbox head, the turn and its session at once', async () => {
    const session = await newSession();
    const first = newTurn(session.sessionId, 'one');
    const second = newTurn(session.sessionId, 'two');
    await accept(first);
    await accept(second);
    expect(await store.loadTurnState(session.sessionId, second.turnId)).toEqual({
      head: first.turnId,
      turn: second,
      session,
    });
  });

  it('answers nulls for what does not exist', async () => {
    expect(await store.loadTurnState('ses_nope', 'turn_nope')).toEqual({
      head: null,
      turn: null,
      session: null,
    });
  });
});

describe('finishing turns', () => {
  it('returns the next waiting turn, which becomes the head of the inbox', async () => {
    const { sessionId } = await newSession();
    const first = newTurn(sessionId, 'one');
    const second = newTurn(sessionId, 'two');
    await accept(first);
    await accept(second);

    expect(await store.finishTurn(completed(first, 'Done one.'))).toBe(second.turnId);
    expect(await store.inboxHead(sessionId)).toBe(second.turnId);
    expect(await store.finishTurn(completed(second, 'Done two.'))).toBeNull();
    expect(await store.inboxHead(sessionId)).toBeNull();
  });

  it('stores the finished turn with its reply', async () => {
    const { sessionId } = await newSession();
    const turn = newTurn(sessionId);
    await accept(turn);
    await store.finishTurn(completed(turn, 'Order A1001 is shipped.'));
    expect(await store.getTurn(turn.turnId)).toMatchObject({
      status: 'completed',
      reply: 'Order A1001 is shipped.',
    });
  });

  it('appends the turn’s messages to the history and its events to the stream, in order', async () => {
    const { sessionId } = await newSession();
    const turn = newTurn(sessionId);
    await accept(turn);
    const messages: HistoryMessage[] = [
      { role: 'user', content: 'Where is A1001?', turnId: turn.turnId, at },
      { role: 'assistant', content: 'Order A1001 is shipped.', turnId: turn.turnId, at },
    ];
    const events: SessionEvent[] = [
      { type: 'message', role: 'assistant', content: 'Order A1001 is shipped.', turnId: turn.turnId, at },
      { type: 'turn.status', turnId: turn.turnId, status: 'completed', reply: 'Order A1001 is shipped.', at },
    ];
    await store.finishTurn(completed(turn, 'Order A1001 is shipped.'), { messages, events });
    expect(await store.getHistory(sessionId)).toEqual(messages);
    expect((await store.readEvents(sessionId, '0')).map((entry) => entry.event)).toEqual([
      { type: 'turn.status', turnId: turn.turnId, status: 'queued', at },
      ...events,
    ]);
  });

  it('finishing a turn twice does not release the next one twice', async () => {
    const { sessionId } = await newSession();
    const first = newTurn(sessionId);
    const second = newTurn(sessionId);
    const third = newTurn(sessionId);
    for (const turn of [first, second, third]) await accept(turn);
    expect(await store.finishTurn(completed(first, 'a'))).toBe(second.turnId);
    // A redelivered finish of the first turn must not skip the second.
    expect(await store.finishTurn(completed(first, 'a'))).toBe(second.turnId);
    expect(await store.inboxHead(sessionId)).toBe(second.turnId);
  });
});

describe('saving steps', () => {
  it('commits a running step: the turn, its history entries and its events together', async () => {
    const { sessionId } = await newSession();
    const turn = newTurn(sessionId);
    await accept(turn);
    const running: TurnRecord = { ...turn, status: 'running', step: 1, startedAt: at };
    const message: HistoryMessage = { role: 'user', content: turn.message, turnId: turn.turnId, at };
    await store.saveTurn(running, {
      messages: [message],
      events: [{ type: 'turn.status', turnId: turn.turnId, status: 'running', at }],
    });
    expect(await store.getTurn(turn.turnId)).toEqual(running);
    expect(await store.getHistory(sessionId)).toEqual([message]);
    expect((await store.readEvents(sessionId, '0')).map((entry) => entry.event.type)).toEqual([
      'turn.status',
      'turn.status',
    ]);
    // Saving a step does not release the session.
    expect(await store.inboxHead(sessionId)).toBe(turn.turnId);
  });
});

describe('reading events', () => {
  it('reads the events after a given id, oldest first, so a client can resume its stream', async () => {
    const { sessionId } = await newSession();
    const turns = [newTurn(sessionId), newTurn(sessionId), newTurn(sessionId)];
    for (const turn of turns) await accept(turn);

    const all = await store.readEvents(sessionId, '0');
    expect(all.map((entry) => (entry.event.type === 'turn.status' ? entry.event.turnId : ''))).toEqual(
      turns.map((turn) => turn.turnId),
    );
    const afterFirst = await store.readEvents(sessionId, all[0]?.id ?? '');
    expect(afterFirst.map((entry) => entry.id)).toEqual([all[1]?.id, all[2]?.id]);
    expect(await store.readEvents(sessionId, all[2]?.id ?? '')).toEqual([]);
  });

  it('reads at most `count` events at a time', async () => {
    const { sessionId } = await newSession();
    for (let i = 0; i < 3; i++) await accept(newTurn(sessionId));
    expect(await store.readEvents(sessionId, '0', 2)).toHaveLength(2);
  });

  it('reads nothing for a session without events', async () => {
    expect(await store.readEvents('ses_nope', '0')).toEqual([]);
  });
});
