import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ConfirmationBody, CreateSessionBody, PostTurnBody, WaitQuery } from './api-schemas.ts';
import { ClaimBody, EscalationListQuery, EscalationReplyBody, ResolveBody } from './escalation-schemas.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { ResetBreakerBody } from './routes/breakers.ts';

/** Every body and query the API accepts, with a valid example of each. */
const INPUTS: [string, z.ZodType, Record<string, unknown>][] = [
  ['CreateSessionBody', CreateSessionBody, { userId: 'u1' }],
  ['PostTurnBody', PostTurnBody, { message: 'Where is A1001?' }],
  ['ConfirmationBody', ConfirmationBody, { approve: true }],
  ['ClaimBody', ClaimBody, { agentName: 'Anna' }],
  ['EscalationReplyBody', EscalationReplyBody, { message: 'Hello' }],
  ['ResolveBody', ResolveBody, { action: 'close' }],
  ['ResetBreakerBody', ResetBreakerBody, { scope: 'global', key: 'global' }],
  ['WaitQuery', WaitQuery, { wait: '5' }],
  ['EscalationListQuery', EscalationListQuery, { status: 'waiting' }],
];

describe('strict input schemas', () => {
  it.each(INPUTS)('%s accepts its example and refuses any field it does not know', (_name, schema, valid) => {
    expect(schema.safeParse(valid).success).toBe(true);
    const extra = schema.safeParse({ ...valid, role: 'ops' });
    expect(extra.success).toBe(false);
    expect(extra.error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it('declares every request body in /openapi.json closed to unknown fields', () => {
    const document = buildOpenApiDocument();
    const bodies = Object.values(document.paths).flatMap((item) =>
      Object.values(item).flatMap((operation) => {
        const body = (operation as { requestBody?: { content: Record<string, { schema: unknown }> } })
          .requestBody;
        return body ? [body.content['application/json']?.schema as { additionalProperties?: unknown }] : [];
      }),
    );
    expect(bodies.length).toBeGreaterThanOrEqual(6);
    for (const body of bodies) expect(body.additionalProperties).toBe(false);
  });
});
