import { describe, expect, it } from 'vitest';
import { needsConfirmation, ToolContract } from './tool-contract.ts';

const validContract = {
  name: 'get_order_status',
  owner: 'support-platform',
  description: 'Look up an order by its id.',
  input_schema: { type: 'object', properties: { order_id: { type: 'string' } } },
  timeout_seconds: 2,
  retry_policy: { strategy: 'exponential_backoff', max_attempts: 2 },
  idempotent: true,
  side_effects: 'read',
  auth_scope: 'orders:read',
  max_calls_per_session: 4,
  rate_limit: { max: 50, duration_ms: 1000 },
  concurrency: 16,
  circuit_breaker: { failure_threshold: 3, window_seconds: 60, cooldown_seconds: 30 },
  escalate_after_failures: 2,
  logs: ['tool.name'],
};

function issuePaths(raw: unknown): string[] {
  const parsed = ToolContract.safeParse(raw);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
}

describe('needsConfirmation', () => {
  it('lets tools without side effects or with reads run unconfirmed', () => {
    expect(needsConfirmation('none')).toBe(false);
    expect(needsConfirmation('read')).toBe(false);
  });

  it('requires a person to confirm writes, external messages and money movements', () => {
    expect(needsConfirmation('write')).toBe(true);
    expect(needsConfirmation('external_message')).toBe(true);
    expect(needsConfirmation('money')).toBe(true);
  });
});

describe('ToolContract', () => {
  it('accepts a complete contract and fills the retry policy defaults', () => {
    const contract = ToolContract.parse(validContract);
    expect(contract.retry_policy).toEqual({
      strategy: 'exponential_backoff',
      max_attempts: 2,
      base_delay_ms: 200,
      max_delay_ms: 5_000,
      jitter: true,
    });
  });

  it('reads `retry_policy: none` as a single attempt without retries', () => {
    const contract = ToolContract.parse({ ...validContract, retry_policy: 'none' });
    expect(contract.retry_policy.strategy).toBe('none');
    expect(contract.retry_policy.max_attempts).toBe(1);
  });

  it('defaults a confirmation to expire after 15 minutes', () => {
    const contract = ToolContract.parse({
      ...validContract,
      side_effects: 'money',
      confirmation: { required: true, summary: 'Refund {amount_usd}' },
    });
    expect(contract.confirmation?.expires_seconds).toBe(900);
  });

  it('rejects a tool name that is not lower_snake_case', () => {
    expect(issuePaths({ ...validContract, name: 'GetOrder' })).toEqual(['name']);
  });

  it('rejects an auth scope that is not resource:action', () => {
    expect(issuePaths({ ...validContract, auth_scope: 'orders' })).toEqual(['auth_scope']);
  });

  it('rejects unknown fields instead of silently ignoring a typo', () => {
    expect(issuePaths({ ...validContract, timeout_secs: 2 })).toEqual(['']);
  });

  it('rejects a contract without a timeout or a per-session cap', () => {
    const { timeout_seconds: _t, max_calls_per_session: _m, ...rest } = validContract;
    expect(issuePaths(rest).sort()).toEqual(['max_calls_per_session', 'timeout_seconds']);
  });

  it('rejects more than 10 attempts and an empty log field list', () => {
    expect(
      issuePaths({ ...validContract, retry_policy: { strategy: 'fixed', max_attempts: 11 }, logs: [] }),
    ).toEqual(expect.arrayContaining(['logs']));
    expect(issuePaths({ ...validContract, retry_policy: { strategy: 'fixed', max_attempts: 11 } })).toEqual([
      'retry_policy.max_attempts',
    ]);
  });

  it('rejects an unknown kind of side effect', () => {
    expect(issuePaths({ ...validContract, side_effects: 'delete_everything' })).toEqual(['side_effects']);
  });
});
