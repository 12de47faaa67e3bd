import { describe, expect, it } from 'vitest';
import { ApiKeysSetting } from './api-keys.ts';

const key = 'ak_test_0123456789abcdef';

describe('API_KEYS', () => {
  it('accepts tenant * for support and ops keys', () => {
    const parsed = ApiKeysSetting.parse(
      JSON.stringify([
        { key, role: 'support', tenant: '*' },
        { key: `${key}x`, role: 'ops', tenant: '*' },
      ]),
    );
    expect(parsed.map((entry) => entry.tenant)).toEqual(['*', '*']);
  });

  it('refuses tenant * for a client key, naming the field', () => {
    const parsed = ApiKeysSetting.safeParse(JSON.stringify([{ key, role: 'client', tenant: '*' }]));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual([0, 'tenant']);
  });
});
