import { describe, expect, it } from 'vitest';
import { ApiKeyRegistry, ApiKeysSetting, apiKeyHash } from './api-keys.ts';

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

describe('ApiKeyRegistry', () => {
  const entries = ApiKeysSetting.parse(
    JSON.stringify([
      { key, role: 'client', tenant: 'default' },
      { keyHash: apiKeyHash(`${key}-support`), role: 'support', tenant: 'default' },
    ]),
  );
  const registry = new ApiKeyRegistry(entries);

  it('knows a key given in clear and one given only by its hash', () => {
    expect(registry.identify(key)).toMatchObject({ role: 'client', tenant: 'default' });
    expect(registry.principalFromHeader(`Bearer ${key}-support`)).toMatchObject({ role: 'support' });
  });

  it('knows no near miss, prefix or empty key', () => {
    expect(registry.identify(`${key}x`)).toBeUndefined();
    expect(registry.identify(key.slice(0, -1))).toBeUndefined();
    expect(registry.identify('')).toBeUndefined();
    expect(registry.principalFromHeader(undefined)).toBeUndefined();
  });

  it('names a key by a short prefix of its hash, never by the key', () => {
    const principal = registry.identify(key);
    expect(principal?.keyId).toBe(`key_${apiKeyHash(key).slice('sha256:'.length, 'sha256:'.length + 12)}`);
    expect(JSON.stringify(principal)).not.toContain(key);
  });

  it('refuses an entry with both a key and a hash, or a malformed hash', () => {
    expect(
      ApiKeysSetting.safeParse(JSON.stringify([{ key, keyHash: apiKeyHash(key), role: 'ops' }])).success,
    ).toBe(false);
    expect(ApiKeysSetting.safeParse(JSON.stringify([{ keyHash: 'md5:abc', role: 'ops' }])).success).toBe(
      false,
    );
  });
});
