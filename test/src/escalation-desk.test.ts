import { ApiClient, ApiProblemError, SessionEventStream, SupportClient } from '@agentops/client';
import { createWorkerConnection, QUEUES } from '@agentops/core';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let support: SupportClient;
let ops: SupportClient;
let everyTenant: SupportClient;

beforeAll(async () => {
  platform = await startPlatform({ extraKeys: { everyTenantSupport: { role: 'support', tenant: '*' } } });
  support = new SupportClient(platform.clientOf('support'));
  ops = new SupportClient(platform.clientOf('ops'));
  everyTenant = new SupportClient(platform.clientOf('everyTenantSupport'));
});
afterAll(async () => {
  await platform?.stop();
});

/** A session whose user asked for a person, and its escalation as the desk filed it. */
async function escalatedSession(client: ApiClient = platform.client, desk: SupportClient = support) {
  const session = await client.createSession({ userId: `user-${Math.random().toString(36).slice(2, 8)}` });
  const { body: turn } = await client.postTurn(session.sessionId, 'I want to talk to a human, please.', {
    wait: 20,
  });
  expect(turn.status).toBe('escalated');
  expect(turn.escalationId).toBeTruthy();
  const escalation = await desk.waitForEscalation(turn.escalationId as string);
  return { session, turn, escalation };
}

const statusOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (error: unknown) => (error instanceof ApiProblemError ? error.status : Promise.reject(error)),
  );

describe('the escalation desk over REST', () => {
  it('files a user who asks for a person as a waiting user_request escalation, oldest first, with its cost', async () => {
    const first = await escalatedSession();
    const second = await escalatedSession();
    expect(first.escalation).toMatchObject({
      sessionId: first.session.sessionId,
      userId: first.session.userId,
      tenant: 'default',
      reason: 'user_request',
      status: 'waiting',
    });
    expect(first.escalation.detail).toBeTruthy();

    const waiting = await support.listEscalations({ status: 'waiting' });
    const ids = waiting.map((escalation) => escalation.escalationId);
    expect(ids.indexOf(first.escalation.escalationId)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(first.escalation.escalationId)).toBeLessThan(
      ids.indexOf(second.escalation.escalationId),
    );
    expect(waiting.every((escalation) => escalation.status === 'waiting')).toBe(true);

    // The model call that led to the hand-off is counted by the budget service, a moment later.
    let listed = waiting.find((escalation) => escalation.escalationId === first.escalation.escalationId);
    for (let i = 0; i < 50 && (listed?.costUsd ?? 0) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      listed = await support.getEscalation(first.escalation.escalationId);
    }
    expect(listed?.costUsd).toBeGreaterThan(0);
  });

  it('shows the agent the conversation, including what the user wrote while waiting', async () => {
    const { session, escalation } = await escalatedSession();
    const { body: waitingTurn } = await platform.client.postTurn(
      session.sessionId,
      'Hello? Is anyone there?',
      {
        wait: 20,
      },
    );
    expect(waitingTurn.status).toBe('escalated');
    expect(waitingTurn.reply).toMatch(/person will answer/i);

    const detail = await support.getEscalation(escalation.escalationId);
    expect(detail.sessionStatus).toBe('escalated');
    const userMessages = (detail.messages ?? []).filter((message) => message.role === 'user');
    expect(userMessages.map((message) => message.content)).toEqual([
      'I want to talk to a human, please.',
      'Hello? Is anyone there?',
    ]);
  });

  it('lets one agent claim an escalation; a second agent gets 409 and the holder’s name', async () => {
    const { escalation } = await escalatedSession();
    const claimed = await support.claim(escalation.escalationId, 'Anna');
    expect(claimed).toMatchObject({ status: 'claimed', claimedBy: 'Anna' });
    expect((await support.claim(escalation.escalationId, 'Anna')).claimedBy).toBe('Anna');

    const second = await support.api.request<{ detail: string }>(
      'POST',
      `/v1/escalations/${escalation.escalationId}/claim`,
      { body: { agentName: 'Ben' } },
    );
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(second.body.detail).toMatch(/Anna/);
    expect(await statusOf(ops.claim(escalation.escalationId, 'Olga'))).toBe(409);

    const claimedIds = (await support.listEscalations({ status: 'claimed' })).map((e) => e.escalationId);
    const waitingIds = (await support.listEscalations({ status: 'waiting' })).map((e) => e.escalationId);
    expect(claimedIds).toContain(escalation.escalationId);
    expect(waitingIds).not.toContain(escalation.escalationId);
  });

  it('delivers a reply into the user’s session as role agent and over its event stream', async () => {
    const session = await platform.client.createSession({ userId: 'sse-user' });
    const stream = await SessionEventStream.open(
      platform.apiUrl,
      platform.keys.client?.key ?? '',
      session.sessionId,
    );
    try {
      const { body: turn } = await platform.client.postTurn(
        session.sessionId,
        'Can I talk to a real person?',
        {
          wait: 20,
        },
      );
      const escalated = await stream.waitFor((event) => event.type === 'session.escalated');
      expect(escalated.data).toMatchObject({ escalationId: turn.escalationId, reason: 'user_request' });
      const escalationId = turn.escalationId as string;
      await support.waitForEscalation(escalationId);

      expect(await statusOf(support.reply(escalationId, 'Hi!'))).toBe(409); // claim first
      await support.claim(escalationId, 'Anna');
      expect(await statusOf(support.reply(escalationId, 'I am Ben', { agentName: 'Ben' }))).toBe(409);
      const sent = await support.reply(escalationId, 'Hi, I am Anna from support. How can I help?', {
        agentName: 'Anna',
      });
      expect(sent.message).toMatchObject({
        role: 'agent',
        content: 'Hi, I am Anna from support. How can I help?',
      });

      const delivered = await stream.waitFor(
        (event) => event.type === 'message' && event.data.role === 'agent',
      );
      expect(delivered.data.content).toBe('Hi, I am Anna from support. How can I help?');
      const view = await platform.client.getSession(session.sessionId);
      expect(view.messages.at(-1)).toMatchObject({
        role: 'agent',
        content: 'Hi, I am Anna from support. How can I help?',
      });
      // The user's answer is shown to the agent.
      await platform.client.postTurn(session.sessionId, 'My parcel A1001 is late.', { wait: 20 });
      const detail = await support.getEscalation(escalationId);
      expect(detail.messages?.map((message) => message.role)).toEqual([
        'user',
        'notice',
        'agent',
        'user',
        'notice',
      ]);
      expect(detail.replies).toBe(1);
    } finally {
      stream.close();
    }
  });

  it('sends a retried reply with the same Idempotency-Key once', async () => {
    const { session, escalation } = await escalatedSession();
    await support.claim(escalation.escalationId, 'Anna');
    await support.reply(escalation.escalationId, 'Only once', { idempotencyKey: 'reply-1' });
    await support.reply(escalation.escalationId, 'Only once', { idempotencyKey: 'reply-1' });
    const view = await platform.client.getSession(session.sessionId);
    expect(view.messages.filter((message) => message.content === 'Only once')).toHaveLength(1);
  });

  it('returns the session to the bot: it is active again and the bot answers the next turn', async () => {
    const { session, escalation } = await escalatedSession();
    const stream = await SessionEventStream.open(
      platform.apiUrl,
      platform.keys.client?.key ?? '',
      session.sessionId,
    );
    try {
      await support.claim(escalation.escalationId, 'Anna');
      expect(
        await statusOf(support.resolve(escalation.escalationId, 'return_to_bot', { agentName: 'Ben' })),
      ).toBe(409);
      const resolved = await support.resolve(escalation.escalationId, 'return_to_bot', {
        note: 'wanted the order status',
      });
      expect(resolved).toMatchObject({
        status: 'resolved',
        resolution: 'return_to_bot',
        note: 'wanted the order status',
        resolvedBy: 'Anna',
      });
      await stream.waitFor((event) => event.type === 'session.status' && event.data.status === 'active');
      expect((await platform.client.getSession(session.sessionId)).status).toBe('active');

      const { body: turn } = await platform.client.postTurn(session.sessionId, 'Where is my order A1001?', {
        wait: 20,
      });
      expect(turn.status).toBe('completed');
      expect(turn.reply).toMatch(/A1001/);

      // A repeated resolution is the same outcome; another one is a conflict, as is a late reply.
      expect((await support.resolve(escalation.escalationId, 'return_to_bot')).status).toBe('resolved');
      expect(await statusOf(support.resolve(escalation.escalationId, 'close'))).toBe(409);
      expect(await statusOf(support.reply(escalation.escalationId, 'too late'))).toBe(409);
      const resolvedIds = (await support.listEscalations({ status: 'resolved' })).map((e) => e.escalationId);
      expect(resolvedIds).toContain(escalation.escalationId);
    } finally {
      stream.close();
    }
  });

  it('closes the session: the user is told, and new turns get 409', async () => {
    const { session, escalation } = await escalatedSession();
    await ops.claim(escalation.escalationId, 'Olga');
    await ops.resolve(escalation.escalationId, 'close');
    const view = await platform.client.getSession(session.sessionId);
    expect(view.status).toBe('closed');
    expect(view.messages.at(-1)).toMatchObject({ role: 'notice' });
    const refused = await platform.client.request<{ status: number }>(
      'POST',
      `/v1/sessions/${session.sessionId}/turns`,
      { body: { message: 'Hello again' } },
    );
    expect(refused.status).toBe(409);
  });

  it('lets ops step in for an agent who holds an escalation', async () => {
    const { escalation } = await escalatedSession();
    await support.claim(escalation.escalationId, 'Anna');
    await ops.reply(escalation.escalationId, 'Taking over from Anna.', { agentName: 'Olga' });
    const resolved = await ops.resolve(escalation.escalationId, 'return_to_bot', { agentName: 'Olga' });
    expect(resolved.resolvedBy).toBe('Olga');
  });

  it('refuses a client key with 403 and no key with 401', async () => {
    const asClient = await platform.client.request('GET', '/v1/escalations');
    expect(asClient.status).toBe(403);
    const anonymous = await platform.client.withKey(undefined).request('GET', '/v1/escalations');
    expect(anonymous.status).toBe(401);
    expect((await platform.clientOf('ops').request('GET', '/v1/escalations')).status).toBe(200);
  });

  it('hides another tenant’s escalations (404), except from a support key of tenant *', async () => {
    const acme = platform.clientOf('otherTenant');
    const { escalation } = await escalatedSession(acme, everyTenant);
    expect(escalation.tenant).toBe('acme');
    const listed = (await support.listEscalations()).map((e) => e.escalationId);
    expect(listed).not.toContain(escalation.escalationId);
    expect(await statusOf(support.getEscalation(escalation.escalationId))).toBe(404);
    expect(await statusOf(support.claim(escalation.escalationId, 'Anna'))).toBe(404);
    expect(await statusOf(support.resolve(escalation.escalationId, 'close'))).toBe(404);

    const everyone = (await everyTenant.listEscalations({ status: 'waiting' })).map((e) => e.escalationId);
    expect(everyone).toContain(escalation.escalationId);
    expect((await everyTenant.claim(escalation.escalationId, 'Central')).claimedBy).toBe('Central');
  });

  it('answers bad input with 400 problem JSON naming the field', async () => {
    const { escalation } = await escalatedSession();
    const noName = await support.api.request<{ errors: { path: string }[] }>(
      'POST',
      `/v1/escalations/${escalation.escalationId}/claim`,
      { body: {} },
    );
    expect(noName.status).toBe(400);
    expect(noName.body.errors.map((error) => error.path)).toContain('agentName');
    expect((await support.api.request('GET', '/v1/escalations?status=lost')).status).toBe(400);
    const badAction = await support.api.request(
      'POST',
      `/v1/escalations/${escalation.escalationId}/resolve`,
      {
        body: { action: 'maybe' },
      },
    );
    expect(badAction.status).toBe(400);
    expect((await support.api.request('GET', '/v1/escalations/esc_nothing')).status).toBe(404);
  });
});

describe('fuzzing the support routes', () => {
  it('never answers a 5xx, whatever the id, query or body, and errors are problem JSON', async () => {
    const { escalation } = await escalatedSession();
    const id = fc.oneof(
      fc.constant(escalation.escalationId),
      fc.string({ maxLength: 40 }),
      fc.constantFrom('..', '%2e%2e', '%00', 'esc_x', ' '),
    );
    const query = fc.oneof(
      fc.constant(''),
      fc.string({ maxLength: 12 }).map((value) => `?status=${encodeURIComponent(value)}`),
      fc.string({ maxLength: 12 }).map((value) => `?limit=${encodeURIComponent(value)}`),
    );
    const json = fc.jsonValue({ maxDepth: 3 });
    const body = fc.oneof(
      json.map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 200 }),
      fc
        .record({ agentName: json, message: json, action: json, note: json }, { requiredKeys: [] })
        .map((value) => JSON.stringify(value)),
    );
    const route = fc.constantFrom(
      (_id: string, q: string) => ['GET', `/v1/escalations${q}`],
      (id: string, q: string) => ['GET', `/v1/escalations/${id}${q}`],
      (id: string) => ['POST', `/v1/escalations/${id}/claim`],
      (id: string) => ['POST', `/v1/escalations/${id}/reply`],
      (id: string) => ['POST', `/v1/escalations/${id}/resolve`],
    );
    await fc.assert(
      fc.asyncProperty(route, id, query, body, async (pick, rawId, q, payload) => {
        const [method, path] = pick(encodeURIComponent(rawId), q);
        const response = await fetch(`${platform.apiUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${platform.keys.support?.key}`,
            'content-type': 'application/json',
          },
          body: method === 'GET' ? undefined : payload,
        });
        const text = await response.text();
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) {
          expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
          expect((JSON.parse(text) as { status: number }).status).toBe(response.status);
        }
      }),
      { numRuns: 120 },
    );
  });
});

describe('nothing is lost when the desk restarts', () => {
  it('files an escalation queued while the API (the queue’s consumer) was down once it is back', async () => {
    const session = await platform.client.createSession({ userId: 'restart-user' });
    await platform.services.get('api')?.stop(10_000);
    // A producer hands off the way the router does (EscalationPublisher) while no consumer runs.
    const connection = createWorkerConnection(platform.redisUrl, 'e2e-producer');
    const queue = new Queue(QUEUES.escalations, { connection, prefix: platform.prefix });
    const escalationId = 'esc_while_desk_down';
    await queue.add(
      'restart',
      {
        escalationId,
        sessionId: session.sessionId,
        tenant: 'default',
        userId: 'restart-user',
        reason: 'policy',
        detail: 'queued while the desk was down',
        createdAt: new Date().toISOString(),
      },
      { jobId: escalationId },
    );
    await queue.close();
    connection.disconnect();

    await platform.stopAndRestart('api');
    const api = platform.services.get('api') ?? { port: 0 };
    const desk = new SupportClient(new ApiClient(`http://127.0.0.1:${api.port}`, platform.keys.support?.key));
    const filed = await desk.waitForEscalation(escalationId);
    expect(filed).toMatchObject({ status: 'waiting', reason: 'policy', sessionId: session.sessionId });
  });
});
