import { describe, expect, it } from 'vitest';
import { CANARY_PATTERN, findKeyLikeSecrets, maskSecretValues } from './secret-patterns.ts';

describe('key-like secrets', () => {
  it.each([
    ['sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx', 'an Anthropic API key'],
    ['sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz012345', 'an OpenAI API key'],
    ['AKIAIOSFODNN7EXAMPLE', 'an AWS access key id'],
    ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'a GitHub token'],
    ['-----BEGIN RSA PRIVATE KEY-----', 'a private key'],
    ['ak_client_Zx8d7Qm2LkP0aBcDeFgHiJkL', 'an agentops API key'],
    ['password: hunter2hunter2', 'a secret assigned to a name'],
  ])('finds %s as %s, without printing it whole', (secret, name) => {
    const findings = findKeyLikeSecrets(`Use this to call the API: ${secret} when needed.`);
    expect(findings.map((finding) => finding.name)).toContain(name);
    for (const finding of findings) expect(finding.preview.length).toBeLessThan(10);
  });

  it('finds nothing in an ordinary system prompt', () => {
    const prompt =
      'You are the customer-support assistant of Demo Shop. Use get_order_status to look orders up. ' +
      'Never promise a refund or send an email unless a tool call has done it. Tokens are counted.';
    expect(findKeyLikeSecrets(prompt)).toEqual([]);
  });

  it('masks secrets and canaries in free text and leaves the rest alone', () => {
    const text =
      'key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx leaked with CANARY-ABCDEFGHIJKLMNOPQRST in order A1001';
    expect(maskSecretValues(text)).toBe('key [secret] leaked with [canary] in order A1001');
  });

  it('recognises a canary by its shape only', () => {
    expect('CANARY-ABCDEFGHIJKLMNOPQRST'.match(CANARY_PATTERN)).toHaveLength(1);
    expect('CANARY-abc'.match(CANARY_PATTERN)).toBeNull();
  });
});
