import { describe, expect, it } from 'vitest';
import {
  PROMPT_WITHHELD,
  protectInLogs,
  redactContactDetails,
  redactLogObject,
  redactText,
} from './redaction.ts';

describe('redactContactDetails', () => {
  it('masks e-mail addresses and phone numbers in free text', () => {
    expect(redactContactDetails('write to jane.doe+orders@example.co.uk today')).toBe(
      'write to [email] today',
    );
    expect(redactContactDetails('call +44 20 7946 0958 or (555) 123-4567')).toBe('call [phone] or [phone]');
    expect(redactContactDetails('mobile: +4915112345678')).toBe('mobile: [phone]');
  });

  it('leaves dates, timestamps, ids, order numbers and addresses of machines alone', () => {
    const text =
      'order A1001 ships 2026-11-28, at 2026-11-25T09:50:23.856Z, turn_ckY52G22VqFEYLFP, 10.100.200.250, took 5012ms, id 123456789012';
    expect(redactContactDetails(text)).toBe(text);
  });
});

describe('redactLogObject', () => {
  it('replaces credentials by field name, at any depth', () => {
    expect(
      redactLogObject({
        authorization: 'Bearer ak_secret',
        headers: { Authorization: 'Basic abc', 'x-api-key': 'k' },
        db_password: 'hunter2',
        apiKey: 'ak_1',
        keyId: 'key_abc',
        inputTokens: 12,
      }),
    ).toEqual({
      authorization: '[redacted]',
      headers: { Authorization: '[redacted]', 'x-api-key': '[redacted]' },
      db_password: '[redacted]',
      apiKey: '[redacted]',
      keyId: 'key_abc',
      inputTokens: 12,
    });
  });

  it('masks contact details in nested values, arrays and errors', () => {
    const error = new Error('could not reach jane@example.com');
    const redacted = redactLogObject({
      'args.to': 'jane@example.com',
      list: ['+1 555 123 4567'],
      err: error,
    }) as {
      'args.to': string;
      list: string[];
      err: { message: string; type: string };
    };
    expect(redacted['args.to']).toBe('[email]');
    expect(redacted.list).toEqual(['[phone]']);
    expect(redacted.err.message).toBe('could not reach [email]');
    expect(redacted.err.type).toBe('Error');
  });
});

describe('redactText', () => {
  it('masks credential-shaped values and system-prompt canaries wherever they appear', () => {
    expect(redactText('provider said: invalid key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx')).toBe(
      'provider said: invalid key [secret]',
    );
    expect(redactText('reply was: my marker is CANARY-ABCDEFGHIJKLMNOPQRST')).toBe(
      'reply was: my marker is [canary]',
    );
  });

  it('withholds a text that copies a long span of a protected system prompt', () => {
    protectInLogs([
      'You are the assistant of the Example Shop. Be brief, friendly and accurate in every answer.',
    ]);
    expect(redactText('model said: be brief, friendly and accurate in every answer, always')).toBe(
      PROMPT_WITHHELD,
    );
    expect(redactText('model said: I am brief and friendly')).toBe('model said: I am brief and friendly');
  });
});
