import { z } from 'zod';
import {
  AlertList,
  ConfirmationBody,
  CreatedSession,
  CreateSessionBody,
  PostTurnBody,
  ProblemSchema,
  PublicTurn,
  SessionTraceView,
  SessionView,
} from './api-schemas.ts';
import { ESCALATION_OPERATIONS } from './escalation-operations.ts';

export interface Operation {
  method: 'get' | 'post';
  path: string;
  summary: string;
  role?: 'client' | 'support' | 'ops';
  /** HTTP Basic auth with an ops key as the password, instead of a Bearer key. */
  basicAuth?: boolean;
  body?: z.ZodType;
  waitQuery?: boolean;
  responses: Record<string, { description: string; schema?: z.ZodType; contentType?: string }>;
}

const problemResponses = {
  '400': { description: 'Invalid input (problem JSON with errors)', schema: ProblemSchema },
  '401': { description: 'Missing or unknown API key', schema: ProblemSchema },
  '404': { description: 'Not found, or another tenant’s', schema: ProblemSchema },
};

/** The operations of API.md that this service serves, described by the schemas it validates with. */
const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/v1/sessions',
    summary: 'Start a session',
    role: 'client',
    body: CreateSessionBody,
    responses: { '201': { description: 'Created', schema: CreatedSession }, ...problemResponses },
  },
  {
    method: 'get',
    path: '/v1/sessions/{sessionId}',
    summary: 'A session with its messages, usage and budget',
    role: 'client',
    responses: { '200': { description: 'The session', schema: SessionView }, ...problemResponses },
  },
  {
    method: 'post',
    path: '/v1/sessions/{sessionId}/turns',
    summary: 'Post a user message as a new turn',
    role: 'client',
    body: PostTurnBody,
    waitQuery: true,
    responses: {
      '200': { description: 'The turn ended within the wait', schema: PublicTurn },
      '202': { description: 'Queued or still running (or waiting for a confirmation)', schema: PublicTurn },
      '409': { description: 'The session is closed', schema: ProblemSchema },
      '413': { description: 'Body over 64 KiB', schema: ProblemSchema },
      '429': { description: 'Too many turns queued in this session', schema: ProblemSchema },
      '503': { description: 'Overloaded; see Retry-After', schema: ProblemSchema },
      ...problemResponses,
    },
  },
  {
    method: 'get',
    path: '/v1/sessions/{sessionId}/turns/{turnId}',
    summary: 'A turn, optionally waiting for it to end',
    role: 'client',
    waitQuery: true,
    responses: { '200': { description: 'The turn', schema: PublicTurn }, ...problemResponses },
  },
  {
    method: 'get',
    path: '/v1/sessions/{sessionId}/events',
    summary:
      'Server-sent events: turn.status, message (assistant, support agent, notice), confirmation.required, session.escalated, session.status',
    role: 'client',
    responses: {
      '200': { description: 'An event stream', contentType: 'text/event-stream' },
      ...problemResponses,
    },
  },
  {
    method: 'post',
    path: '/v1/sessions/{sessionId}/confirmations/{confirmationId}',
    summary: 'Approve or decline a side effect the agent asked for',
    role: 'client',
    body: ConfirmationBody,
    waitQuery: true,
    responses: {
      '200': { description: 'The turn', schema: PublicTurn },
      '409': { description: 'Already decided otherwise', schema: ProblemSchema },
      ...problemResponses,
    },
  },
  {
    method: 'get',
    path: '/v1/sessions/{sessionId}/trace',
    summary: "The session's spans, one trace per turn, and the tree text of API.md",
    role: 'client',
    responses: { '200': { description: 'The trace', schema: SessionTraceView }, ...problemResponses },
  },
  {
    method: 'get',
    path: '/v1/alerts',
    summary: 'Firing alerts, then those resolved in the last 24 hours (?state=firing|resolved)',
    role: 'ops',
    responses: {
      '200': { description: 'The alerts', schema: AlertList },
      '403': { description: 'Not an ops key', schema: ProblemSchema },
      ...problemResponses,
    },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics: tool errors, burn, session percentiles, queues, breakers, escalations',
    role: 'ops',
    responses: {
      '200': { description: 'Prometheus text format 0.0.4', contentType: 'text/plain' },
      '401': { description: 'Missing or unknown API key', schema: ProblemSchema },
      '403': { description: 'Not an ops key', schema: ProblemSchema },
    },
  },
  {
    method: 'get',
    path: '/admin/queues',
    summary: 'Bull Board over every queue (HTTP Basic auth; the password is an ops key)',
    role: 'ops',
    basicAuth: true,
    responses: {
      '200': { description: 'The board', contentType: 'text/html' },
      '401': { description: 'Without an ops key as the Basic password', schema: ProblemSchema },
    },
  },
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness',
    responses: { '200': { description: 'The process is up' } },
  },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Redis answers and workers are registered',
    responses: { '200': { description: 'Ready' }, '503': { description: 'Not ready' } },
  },
];

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

export function buildOpenApiDocument(serverUrl?: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of [...OPERATIONS, ...ESCALATION_OPERATIONS]) {
    const parameters = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (operation.waitQuery) {
      parameters.push({
        name: 'wait',
        in: 'query',
        required: false,
        schema: { type: 'number', minimum: 0, maximum: 30 } as never,
      });
    }
    const responses = Object.fromEntries(
      Object.entries(operation.responses).map(([status, response]) => [
        status,
        {
          description: response.description,
          ...(response.schema
            ? {
                content: {
                  [status.startsWith('2') ? 'application/json' : 'application/problem+json']: {
                    schema: jsonSchema(response.schema),
                  },
                },
              }
            : response.contentType
              ? { content: { [response.contentType]: {} } }
              : {}),
        },
      ]),
    );
    const pathItem = paths[operation.path] ?? {};
    paths[operation.path] = pathItem;
    pathItem[operation.method] = {
      summary: operation.summary,
      ...(operation.role
        ? { security: [operation.basicAuth ? { opsBasic: [] } : { apiKey: [] }], 'x-role': operation.role }
        : { security: [] }),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(operation.body) } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Agent operations platform API',
      version: '1.0.0',
      description: 'Sessions and turns of customer-facing agents. Errors are RFC 9457 problem documents.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer' },
        opsBasic: { type: 'http', scheme: 'basic' },
      },
    },
    security: [{ apiKey: [] }],
    paths,
  };
}
