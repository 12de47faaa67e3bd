import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

describe('a turn travels REST → router → tool → reply', () => {
  it('answers a question about order A1001 with its status, after one successful get_order_status call', async () => {
    const session = await platform.client.createSession({ userId: 'alice' });
    expect(session.status).toBe('active');

    const { status, body: turn } = await platform.client.postTurn(
      session.sessionId,
      'Where is my order A1001?',
      { wait: 20 },
    );

    expect(status).toBe(200);
    expect(turn.status).toBe('completed');
    expect(turn.reply).toMatch(/A1001/);
    expect(turn.reply).toMatch(/shipped/i);
    expect(turn.toolCalls).toEqual([
      expect.objectContaining({ tool: 'get_order_status', status: 'success', attempts: 1 }),
    ]);
    expect(turn.usage?.inputTokens).toBeGreaterThan(0);
    expect(turn.usage?.costUsd).toBeGreaterThan(0);
  });

  it('answers a plain question without calling a tool', async () => {
    const session = await platform.client.createSession({ userId: 'bob' });
    const { body: turn } = await platform.client.postTurn(session.sessionId, 'Hello, what can you do?', {
      wait: 20,
    });
    expect(turn.status).toBe('completed');
    expect(turn.reply).toBeTruthy();
    expect(turn.toolCalls ?? []).toEqual([]);
  });

  it('answers 202 at once without wait, and the turn can be fetched until it ends', async () => {
    const session = await platform.client.createSession({ userId: 'carol' });
    const { status, body: queued } = await platform.client.postTurn(
      session.sessionId,
      'Where is my order A1003?',
    );
    expect(status).toBe(202);
    expect(queued.status).toBe('queued');
    const ended = await platform.client.waitForTurnEnd(session.sessionId, queued.turnId);
    expect(ended.status).toBe('completed');
  });

  it('keeps the history, the usage and the budget on the session', async () => {
    const session = await platform.client.createSession({ userId: 'dave' });
    await platform.client.postTurn(session.sessionId, 'Where is my order A1001?', { wait: 20 });
    // Usage is counted by the budget service from the usage queue, a moment after the turn ends.
    let view = await platform.client.getSession(session.sessionId);
    for (let i = 0; i < 100 && view.usage.modelCalls < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = await platform.client.getSession(session.sessionId);
    }
    expect(view.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(view.messages[0]?.content).toBe('Where is my order A1001?');
    expect(view.usage.modelCalls).toBe(2);
    expect(view.usage.inputTokens).toBeGreaterThan(0);
    expect(view.budget.tokensUsed).toBe(view.usage.inputTokens + view.usage.outputTokens);
    expect(view.budget.costUsd).toBeGreaterThan(0);
  });

  it('runs two sessions in parallel, each answering about its own order', async () => {
    const [first, second] = await Promise.all([
      platform.client.createSession({ userId: 'erin' }),
      platform.client.createSession({ userId: 'frank' }),
    ]);
    const [a, b] = await Promise.all([
      platform.client.postTurn(first.sessionId, 'Where is my order A1001?', { wait: 20 }),
      platform.client.postTurn(second.sessionId, 'Where is my order A1004?', { wait: 20 }),
    ]);
    expect(a.body.status).toBe('completed');
    expect(b.body.status).toBe('completed');
    expect(a.body.reply).toMatch(/A1001/);
    expect(b.body.reply).toMatch(/A1004/);
  });

  it('runs the turns of one session one at a time, in the order they were posted', async () => {
    const session = await platform.client.createSession({ userId: 'gina' });
    const posted = [];
    for (const order of ['A1001', 'A1002', 'A1003']) {
      posted.push((await platform.client.postTurn(session.sessionId, `Where is my order ${order}?`)).body);
    }
    for (const turn of posted) await platform.client.waitForTurnEnd(session.sessionId, turn.turnId);
    const view = await platform.client.getSession(session.sessionId);
    expect(view.messages.map((message) => `${message.role}:${message.content.match(/A100\d/)?.[0]}`)).toEqual(
      ['user:A1001', 'assistant:A1001', 'user:A1002', 'assistant:A1002', 'user:A1003', 'assistant:A1003'],
    );
  });
});

describe('the API refuses what it must', () => {
  it("answers 404 for another tenant's session, as if it did not exist", async () => {
    const session = await platform.client.createSession({ userId: 'henry' });
    const stranger = platform.clientOf('otherTenant');
    const read = await stranger.request('GET', `/v1/sessions/${session.sessionId}`);
    const post = await stranger.request('POST', `/v1/sessions/${session.sessionId}/turns`, {
      body: { message: 'hi' },
    });
    const missing = await stranger.request('GET', '/v1/sessions/ses_doesnotexist');
    expect(read.status).toBe(404);
    expect(post.status).toBe(404);
    expect(read.body).toEqual({ ...(missing.body as object), detail: expect.any(String) });
    const view = await platform.client.getSession(session.sessionId);
    expect(view.messages).toEqual([]);
  });

  it('answers 400 with problem JSON that names the bad field', async () => {
    const session = await platform.client.createSession({ userId: 'iris' });
    const response = await platform.client.request('POST', `/v1/sessions/${session.sessionId}/turns`, {
      body: { message: 42 },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: expect.any(String),
      title: expect.any(String),
      status: 400,
      detail: expect.any(String),
      errors: [expect.objectContaining({ path: 'message' })],
    });
  });

  it('answers 400 for a message over 8,000 characters and for malformed JSON', async () => {
    const session = await platform.client.createSession({ userId: 'jack' });
    const tooLong = await platform.client.request('POST', `/v1/sessions/${session.sessionId}/turns`, {
      body: { message: 'x'.repeat(8_001) },
    });
    const malformed = await platform.client.request('POST', `/v1/sessions/${session.sessionId}/turns`, {
      body: '{"message": ',
    });
    expect(tooLong.status).toBe(400);
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body)).not.toMatch(/at .*\.js|SyntaxError/);
  });

  it('answers 413 for a body over 64 KiB', async () => {
    const response = await platform.client.request('POST', '/v1/sessions', {
      body: { userId: 'kim', metadata: { note: 'x'.repeat(70_000) } },
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ status: 413 });
  });

  it('answers 401 without a key or with an unknown one, and 403 for the wrong role', async () => {
    const anonymous = platform.client.withKey(undefined);
    const unknown = platform.client.withKey('ak_not_a_real_key_at_all');
    const support = platform.clientOf('support');
    expect((await anonymous.request('POST', '/v1/sessions', { body: { userId: 'x' } })).status).toBe(401);
    expect((await unknown.request('GET', '/v1/sessions/ses_x')).status).toBe(401);
    const wrongRole = await support.request('POST', '/v1/sessions', { body: { userId: 'x' } });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body).toMatchObject({ status: 403 });
  });

  it('answers 404 as problem JSON for an unknown route', async () => {
    const response = await platform.client.request('GET', '/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ status: 404 });
  });
});

describe('Idempotency-Key', () => {
  it('returns the first turn for a repeated key and body, and creates nothing new', async () => {
    const session = await platform.client.createSession({ userId: 'leo' });
    const first = await platform.client.postTurn(session.sessionId, 'Where is my order A1001?', {
      idempotencyKey: 'k-1',
      wait: 20,
    });
    const again = await platform.client.postTurn(session.sessionId, 'Where is my order A1001?', {
      idempotencyKey: 'k-1',
    });
    expect(again.body.turnId).toBe(first.body.turnId);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const view = await platform.client.getSession(session.sessionId);
    expect(view.messages.filter((message) => message.role === 'user')).toHaveLength(1);
  });

  it('answers 409 when a key is reused with another body', async () => {
    const first = await platform.client.request('POST', '/v1/sessions', {
      body: { userId: 'mia' },
      idempotencyKey: 'k-2',
    });
    const other = await platform.client.request('POST', '/v1/sessions', {
      body: { userId: 'ned' },
      idempotencyKey: 'k-2',
    });
    const same = await platform.client.request('POST', '/v1/sessions', {
      body: { userId: 'mia' },
      idempotencyKey: 'k-2',
    });
    expect(first.status).toBe(201);
    expect(other.status).toBe(409);
    expect(same.status).toBe(201);
    expect(same.body).toEqual(first.body);
  });
});

describe('service endpoints', () => {
  it('serves /healthz, a ready /readyz and an OpenAPI document of the routes', async () => {
    const anonymous = platform.client.withKey(undefined);
    expect((await anonymous.request('GET', '/healthz')).status).toBe(200);
    const ready = await anonymous.request<{ status: string }>('GET', '/readyz');
    expect(ready.status).toBe(200);
    const openApi = await anonymous.request<{ openapi: string; paths: Record<string, unknown> }>(
      'GET',
      '/openapi.json',
    );
    expect(openApi.body.openapi).toMatch(/^3\./);
    expect(Object.keys(openApi.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/sessions',
        '/v1/sessions/{sessionId}/turns',
        '/v1/sessions/{sessionId}/turns/{turnId}',
      ]),
    );
  });
});
