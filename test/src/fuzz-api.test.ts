import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from './platform.ts';

/**
 * Property: whatever a client sends, the API answers without a 5xx, errors are problem JSON
 * whose status matches the response, and the server keeps serving.
 */
let platform: TestPlatform;
let sessionId: string;
beforeAll(async () => {
  platform = await startPlatform();
  sessionId = (await platform.client.createSession({ userId: 'fuzz' })).sessionId;
});
afterAll(async () => {
  await platform?.stop();
});

const RUNS = 150;
const jsonValue = fc.jsonValue({ maxDepth: 3 });
const id = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('ses_x', '..', '%2e%2e', '%00', 'turn_x', ' '),
);
const waitQuery = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 12 }).map((value) => `?wait=${encodeURIComponent(value)}`),
  fc.double().map((value) => `?wait=${value}`),
);
const body = fc.oneof(
  jsonValue.map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc
    .record({ message: fc.oneof(fc.string({ maxLength: 300 }), jsonValue) })
    .map((value) => JSON.stringify(value)),
  fc
    .record({ userId: jsonValue, agent: jsonValue, metadata: jsonValue }, { requiredKeys: [] })
    .map((value) => JSON.stringify(value)),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=latin1',
);
const idempotencyKey = fc.option(fc.string({ minLength: 0, maxLength: 300 }), { nil: undefined });

async function send(
  method: string,
  path: string,
  payload: string | undefined,
  headers: Record<string, string>,
) {
  const response = await fetch(`${platform.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${platform.keys.client?.key}`, ...headers },
    body: payload,
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', text };
}

function expectWellFormed(answer: { status: number; type: string; text: string }) {
  expect(answer.status).toBeLessThan(500);
  if (answer.status >= 400) {
    expect(answer.type).toMatch(/application\/problem\+json/);
    const problem = JSON.parse(answer.text) as { status: number; title: string };
    expect(problem.status).toBe(answer.status);
    expect(answer.text).not.toMatch(/\bat \S+:\d+:\d+|node_modules/);
  }
}

const safeHeader = (value: string | undefined): Record<string, string> =>
  value === undefined || !/^[\t\x20-\x7e]*$/.test(value) ? {} : { 'idempotency-key': value };

describe('fuzzing every route', () => {
  it('never answers a 5xx to any body, header, id or query string', async () => {
    const routes = fc.constantFrom(
      (_ids: string[]) => ['POST', '/v1/sessions'],
      (ids: string[]) => ['GET', `/v1/sessions/${ids[0]}`],
      (_ids: string[]) => ['POST', `/v1/sessions/${sessionId}/turns`],
      (ids: string[]) => ['POST', `/v1/sessions/${ids[0]}/turns`],
      (ids: string[]) => ['GET', `/v1/sessions/${sessionId}/turns/${ids[1]}`],
      (ids: string[]) => ['POST', `/v1/sessions/${sessionId}/confirmations/${ids[1]}`],
      (ids: string[]) => ['GET', `/v1/sessions/${ids[0]}/events`],
      (_ids: string[]) => ['POST', '/v1/breakers/reset'],
      (ids: string[]) => ['DELETE', `/v1/sessions/${ids[0]}`],
      (ids: string[]) => ['GET', `/v1/${ids[0]}`],
    );
    await fc.assert(
      fc.asyncProperty(
        routes,
        id,
        id,
        waitQuery,
        body,
        contentType,
        idempotencyKey,
        async (route, a, b, query, payload, type, key) => {
          const [method, path] = route([encodeURIComponent(a), encodeURIComponent(b)]);
          const answer = await send(
            method as string,
            `${path}${query}`,
            method === 'GET' ? undefined : payload,
            {
              'content-type': type,
              ...safeHeader(key),
            },
          );
          expectWellFormed(answer);
        },
      ),
      { numRuns: RUNS },
    );
    const health = await fetch(`${platform.apiUrl}/healthz`);
    expect(health.status).toBe(200);
  });

  it('answers malformed authorization headers with 401 problem JSON', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 100 }).filter((value) => /^[\t\x20-\x7e]*$/.test(value)),
        async (header) => {
          const response = await fetch(`${platform.apiUrl}/v1/sessions/${sessionId}`, {
            headers: { authorization: header },
          });
          expect(response.status).toBe(401);
          expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
        },
      ),
      { numRuns: 60 },
    );
  });
});
