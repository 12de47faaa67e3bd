import { z } from 'zod';

export const SideEffects = z.enum(['none', 'read', 'write', 'external_message', 'money']);
export type SideEffects = z.infer<typeof SideEffects>;

/** Side effects a person must confirm before the call runs (invariant 2). */
export function needsConfirmation(sideEffects: SideEffects): boolean {
  return sideEffects !== 'none' && sideEffects !== 'read';
}

const RetryPolicyObject = z
  .object({
    strategy: z.enum(['none', 'fixed', 'exponential_backoff']),
    max_attempts: z.number().int().min(1).max(10),
    base_delay_ms: z.number().int().min(0).max(60_000).default(200),
    max_delay_ms: z.number().int().min(0).max(300_000).default(5_000),
    jitter: z.boolean().default(true),
  })
  .strict();

/** `retry_policy: none` is shorthand for a single attempt. */
export const RetryPolicy = z.union([
  z.literal('none').transform(() => RetryPolicyObject.parse({ strategy: 'none', max_attempts: 1 })),
  RetryPolicyObject,
]);
export type RetryPolicy = z.infer<typeof RetryPolicyObject>;

export const ToolContract = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'lower_snake_case, 2 to 64 characters'),
    owner: z.string().min(1),
    description: z.string().min(10),
    input_schema: z.record(z.string(), z.unknown()),
    timeout_seconds: z.number().positive(),
    retry_policy: RetryPolicy,
    idempotent: z.boolean(),
    side_effects: SideEffects,
    auth_scope: z.string().regex(/^[a-z_]+:[a-z_]+$/, 'resource:action'),
    max_calls_per_session: z.number().int().positive(),
    rate_limit: z
      .object({ max: z.number().int().positive(), duration_ms: z.number().int().positive() })
      .strict(),
    concurrency: z.number().int().positive().max(256),
    circuit_breaker: z
      .object({
        failure_threshold: z.number().int().positive(),
        window_seconds: z.number().int().positive(),
        cooldown_seconds: z.number().int().positive(),
      })
      .strict(),
    confirmation: z
      .object({
        required: z.boolean(),
        /** Shown to the user; `{field}` is replaced by that argument, so the user sees what will happen. */
        summary: z.string().min(1),
        expires_seconds: z.number().int().positive().max(86_400).default(900),
      })
      .strict()
      .optional(),
    order_by: z.string().min(1).optional(),
    escalate_after_failures: z.number().int().positive(),
    logs: z.array(z.string()).min(1),
  })
  .strict();
export type ToolContract = z.infer<typeof ToolContract>;
