import { describe, expect, it } from 'vitest';
import { hashTagOf, redisKeys } from './keys.ts';

describe('redisKeys', () => {
  it('starts every key with the configured prefix', () => {
    const keys = redisKeys('{acme}');
    const all = [
      keys.session('s'),
      keys.sessionMessages('s'),
      keys.sessionInbox('s'),
      keys.sessionEvents('s'),
      keys.sessionUsage('s'),
      keys.sessionUsageEvents('s'),
      keys.sessionToolCalls('s', 't'),
      keys.sessionToolCache('s', 't', 'h'),
      keys.turn('x'),
      keys.confirmation('c'),
      keys.toolBreaker('t'),
      keys.toolBreakerFailures('t'),
      keys.toolAttempts('j'),
      keys.idempotency('tenant', 'scope', 'h'),
      keys.injectionDetections,
      keys.promptLeaks,
      keys.rateLimit('key_1'),
      keys.eventsChannel,
    ];
    for (const key of all) expect(key.startsWith('{acme}:')).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });

  it('keeps a session’s keys under the session key, so one SCAN finds them all', () => {
    const keys = redisKeys('p');
    expect(keys.sessionInbox('ses_1').startsWith(`${keys.session('ses_1')}:`)).toBe(true);
    expect(keys.sessionToolCalls('ses_1', 'get_order_status')).toBe(
      'p:session:ses_1:tool-calls:get_order_status',
    );
  });
});

describe('hashTagOf', () => {
  it('finds the tag Redis Cluster hashes, as Redis does', () => {
    expect(hashTagOf('{agentops}')).toBe('agentops');
    expect(hashTagOf('prod-{agentops}-eu')).toBe('agentops');
    expect(hashTagOf('{a}{b}')).toBe('a');
  });

  it('finds none when the whole key would be hashed', () => {
    expect(hashTagOf('agentops')).toBeUndefined();
    expect(hashTagOf('{}agentops')).toBeUndefined();
    expect(hashTagOf('{agentops')).toBeUndefined();
    expect(hashTagOf('agentops}')).toBeUndefined();
  });
});
